import { writePng } from './documents.ts';

// Text as a PNG image, for evidence that investigators meet as screenshots
// (a finance system's change log, a chat window). A built-in 5×7 pixel font
// of upper-case letters, digits and common signs: lower case is drawn in upper
// case, other characters as "?". Deterministic, like the other documents.

type Rgb = readonly [number, number, number];

/** Each glyph: its character, then its 7 rows of 5 pixels as base-32 digits (1 = ink, high bit on the left). */
const FONT = `Aehhvhhh Buhhuhhu Cehggghe Duhhhhhu Evgguggv Fvgguggg Gehgnhhf Hhhhvhhh Ie44444e J72222ic Khikokih Lggggggv Mhrllhhh Nhhpljhh Oehhhhhe Puhhuggg Qehhhlid Ruhhukih Sfgge11u Tv444444 Uhhhhhhe Vhhhhha4 Whhhllla Xhha4ahh Yhha4444 Zv1248gv 0ehjlphe 14c4444e 2eh1248v 3u11e11u 426aiv22 5vgu11he 668guhhe 7v124888 8ehhehhe 9ehhf12c .00000cc ,0000c48 :0cc0cc0 -000v000 /11248gg (2488842 )8422248 @ehnlnge '4480000 "aa00000 +044v440 %pq248bj #aavavaa _000000v =00v0v00 >8421248 <248g842 |4444444 ?eh12404 *04lel40`;
const glyphs = new Map<string, number[]>([' 0000000', ...FONT.split(' ')].map((g) => [g[0]!, [...g.slice(1)].map((d) => parseInt(d, 32))]));

/** One line of a screenshot; a line may have its own colours (a title bar, a highlighted row). */
export type ScreenLine = string | { text: string; color?: Rgb | undefined; background?: Rgb | undefined };

/**
 * A PNG of `lines` in the pixel font, each pixel drawn `scale` × `scale`
 * (default 2), dark text on white unless a line says otherwise.
 */
export function writeTextPng(lines: readonly ScreenLine[], options: { scale?: number; padding?: number } = {}): Uint8Array {
  const scale = options.scale ?? 2;
  const padding = options.padding ?? 6;
  const rows = lines.map((l) => (typeof l === 'string' ? { text: l } : l));
  const cell = { w: 6, h: 10 }; // 5×7 glyph, one column and three rows of spacing
  const columns = Math.max(1, ...rows.map((r) => r.text.length));
  const width = (columns * cell.w + 2 * padding) * scale;
  const height = (rows.length * cell.h + 2 * padding) * scale;
  const white: Rgb = [255, 255, 255];
  const ink: Rgb = [33, 37, 41];
  return writePng(width, height, (px, py) => {
    const x = Math.floor(px / scale) - padding;
    const y = Math.floor(py / scale) - padding;
    const row = y >= 0 ? rows[Math.floor(y / cell.h)] : undefined;
    if (!row || x < 0) return white;
    const background = row.background ?? white;
    const gx = x % cell.w;
    const gy = (y % cell.h) - 1;
    const ch = row.text[Math.floor(x / cell.w)];
    if (ch === undefined || gx > 4 || gy < 0 || gy > 6) return background;
    const glyph = glyphs.get(ch.toUpperCase()) ?? glyphs.get('?')!;
    return (glyph[gy]! >> (4 - gx)) & 1 ? (row.color ?? ink) : background;
  });
}
