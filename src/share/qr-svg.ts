import QRCode from "qrcode";

/** Modules of white border on every side; the QR standard asks for 4. */
const quietZone = 4;

/**
 * A QR code as an inline SVG, encoded by the `qrcode` package. Error correction M survives a
 * printed page or a photographed screen. Each row of dark modules is one stroked path segment,
 * which keeps a 50-module code near 2 KB before gzip.
 */
export function qrSvg(text: string): string {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const size = modules.size;
  const full = size + 2 * quietZone;
  let path = "";
  for (let y = 0; y < size; y++) {
    let x = 0;
    let cursor: number | undefined;
    while (x < size) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && modules.get(y, x)) x++;
      path += cursor === undefined ? `M${start + quietZone} ${y + quietZone + 0.5}` : `m${start - cursor} 0`;
      path += `h${x - start}`;
      cursor = x;
    }
  }
  return (
    `<svg class="qr" viewBox="0 0 ${full} ${full}" shape-rendering="crispEdges">` +
    `<path fill="#fff" d="M0 0h${full}v${full}H0z"/><path stroke="#000" d="${path}"/></svg>`
  );
}
