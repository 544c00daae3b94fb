import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";

function totpFor(username: string, secretBase32: string, issuer: string) {
  return new TOTP({
    issuer,
    label: username,
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** True when `code` is the current code, or the one just before or after (clock drift). */
export function checkTotp(secretBase32: string, code: string): boolean {
  if (!/^\d{6}$/.test(code)) return false;
  return totpFor("x", secretBase32, "BDHVS").validate({ token: code, window: 1 }) !== null;
}

export function currentTotp(secretBase32: string): string {
  return totpFor("x", secretBase32, "BDHVS").generate();
}

export function totpUri(username: string, secretBase32: string, communeName: string): string {
  return totpFor(username, secretBase32, `BDHVS ${communeName}`).toString();
}

/** The otpauth URI as an SVG QR code (no script, so the CSP allows it inline). */
export function totpQrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
}
