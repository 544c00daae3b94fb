/** A new adult resident as the resident form sends her: Hoàng Thị Hoa, of household T01-0001 in village T01. */
export const HOA_FORM: Readonly<Record<string, string>> = {
  full_name: "Hoàng Thị Hoa",
  birth_date: "02/03/1995",
  gender: "female",
  village: "T01",
  household: "T01-0001",
  status: "active",
  vneid_level: "0",
};
