/**
 * The proposal for commendation as a "Tờ trình" in the layout of Decree 30/2020/NĐ-CP, built from
 * the official report's blocks (reports/docx.ts): the header table (issuing body, number; national
 * motto, place and date), title and subject, "Kính gửi", the grounds, the scoring method, the table
 * of the proposed (score, its components with their figures, the reason), "Nơi nhận" and the
 * signature. A draft says "DỰ THẢO" at the top of every page.
 */
import { AlignmentType, Document, Header, Packer, PageNumber, Paragraph, TextRun } from "docx";
import type { Db } from "../../db/client.ts";
import { civilDateInVietnam } from "../../lib/clock.ts";
import { translator } from "../../lib/i18n/index.ts";
import type { Viewer } from "../auth/viewer.ts";
import { findCommuneById } from "../communes/repo.ts";
import { planFor } from "../plans/service.ts";
import {
  cellText,
  centred,
  closingBlock,
  dataTable,
  FONT,
  headerBlock,
  hp,
  pageMargin,
  para,
  titleBlock,
  tw,
} from "../reports/docx.ts";
import { reportFormatter } from "../reports/format.ts";
import { PAGE, SIZE } from "../reports/layout.ts";
import { pct } from "./explain.ts";
import { COMPONENTS } from "./score.ts";
import { type Commendation, getCommendation } from "./service.ts";

/** Column widths, mm, summing to the body width (165). */
const COLUMNS = [11, 34, 16, 52, 52] as const;

export async function commendationDocx(opts: { db: Db; viewer: Viewer; id: number }): Promise<{
  commendation: Commendation;
  docx: Buffer;
}> {
  const commendation = await getCommendation(opts);
  const [commune, plan] = await Promise.all([
    findCommuneById(opts.db, opts.viewer.communeId),
    planFor(opts.db, opts.viewer.communeId),
  ]);
  const communeName = (commune?.name ?? plan.commune).replace(/^(xã|phường|thị trấn)\s+/iu, "");
  return { commendation, docx: await renderCommendation(commendation, communeName, plan.document) };
}

export async function renderCommendation(
  c: Commendation,
  communeName: string,
  planDocument: string | undefined,
): Promise<Buffer> {
  const lang = "vi" as const;
  const t = translator(lang);
  const f = reportFormatter(lang);
  const total = COMPONENTS.reduce((s, k) => s + c.weights[k], 0);
  const weights = COMPONENTS.map((k) =>
    t("emulation.weight_line", {
      component: t(`emulation.component.${k}`),
      weight: pct(lang, c.weights[k] / total),
    }),
  ).join("; ");
  const body = (text: string, s: Parameters<typeof para>[1] = {}) =>
    para(text, { size: SIZE.body, align: AlignmentType.JUSTIFIED, indent: true, before: 6, ...s });
  const rows = c.items.map((item, i) => [
    [centred(String(i + 1))],
    [cellText(item.name)],
    [centred(item.scoreText, { bold: true })],
    item.explanation.map((line) => cellText(line, { size: SIZE.tableSmall })),
    [cellText(item.reason)],
  ]);
  const marker = (children: Paragraph[]) =>
    new Header({
      children: [
        ...(c.status === "draft"
          ? [para(t("commendationdoc.draft"), { bold: true, size: SIZE.body, align: AlignmentType.RIGHT })]
          : []),
        ...children,
      ],
    });
  const pageNumber = new Paragraph({
    alignment: AlignmentType.CENTER,
    children: [new TextRun({ children: [PageNumber.CURRENT], size: hp(SIZE.pageNumber) })],
  });
  const doc = new Document({
    creator: t("commendationdoc.issuer_2", { commune: communeName.toLocaleUpperCase("vi") }),
    title: `${t("commendationdoc.title")} ${t("commendationdoc.subject", { period: c.periodLabel })}`,
    styles: {
      default: {
        document: {
          run: { font: FONT, size: hp(SIZE.body), language: { value: "vi-VN" } },
          paragraph: { spacing: { before: 0, after: 0 } },
        },
      },
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: tw(PAGE.width), height: tw(PAGE.height) },
            margin: pageMargin(),
          },
        },
        headers: { default: marker([pageNumber]), first: marker([]) },
        children: [
          headerBlock(
            {
              issuer: [
                t("commendationdoc.issuer_1"),
                t("commendationdoc.issuer_2", { commune: communeName.toLocaleUpperCase("vi") }),
              ],
              number: t("commendationdoc.number", {
                number: c.number ?? "\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0",
              }),
              place: communeName,
              signedOn: c.signedOn,
            },
            f,
          ),
          ...titleBlock({
            title: t("commendationdoc.title"),
            subject: t("commendationdoc.subject", { period: c.periodLabel }),
          }),
          para(t("commendationdoc.to", { commune: communeName }), {
            size: SIZE.body,
            align: AlignmentType.CENTER,
            after: 6,
          }),
          ...(planDocument
            ? [body(t("commendationdoc.basis_plan", { plan: planDocument }), { italics: true })]
            : []),
          body(t("commendationdoc.basis_results", { period: c.periodLabel, date: f.date(c.date) }), {
            italics: true,
          }),
          body(t("commendationdoc.method_heading"), { bold: true, keepNext: true }),
          body(t("commendationdoc.method", { weights })),
          body(t("commendationdoc.list_heading"), { bold: true, keepNext: true }),
          body(t("commendationdoc.list_intro", { commune: communeName, count: c.items.length }), {
            after: 6,
            keepNext: true,
          }),
          dataTable(
            COLUMNS,
            [
              t("commendationdoc.col_no"),
              t("commendationdoc.col_name"),
              t("commendationdoc.col_score"),
              t("commendationdoc.col_figures"),
              t("commendationdoc.col_reason"),
            ],
            rows,
          ),
          body(t("commendationdoc.closing")),
          ...(c.status === "approved" && c.approvedAt
            ? [
                body(
                  t("commendationdoc.approved", { date: f.date(civilDateInVietnam(new Date(c.approvedAt))) }),
                  { italics: true },
                ),
              ]
            : []),
          para(""),
          closingBlock(
            {
              recipients: [
                t("commendationdoc.recipient_1"),
                t("commendationdoc.recipient_2"),
                t("commendationdoc.recipient_archive"),
              ],
              signature: {
                lines: [t("commendationdoc.sign_on_behalf"), t("commendationdoc.sign_position")],
                name: c.signerName ?? "",
              },
            },
            f,
          ),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
