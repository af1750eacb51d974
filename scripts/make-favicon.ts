/**
 * Writes public/favicon.ico: a 16x16 and a 32x32 PNG in one ICO (a split arrow: stable and canary paths on a dark
 * tile). Run `npx tsx scripts/make-favicon.ts` after changing the drawing; the output is committed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];
const TILE: Rgba = [24, 24, 27, 255];
const STABLE: Rgba = [96, 165, 250, 255];
const CANARY: Rgba = [250, 204, 21, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** The colour at (x, y) of a size x size icon, drawn in unit coordinates. */
function pixel(x: number, y: number, size: number): Rgba {
  const u = (x + 0.5) / size;
  const v = (y + 0.5) / size;
  const r = 0.18; // rounded corners
  const cx = Math.min(Math.max(u, r), 1 - r);
  const cy = Math.min(Math.max(v, r), 1 - r);
  if ((u - cx) ** 2 + (v - cy) ** 2 > r * r) return CLEAR;
  const w = 1.6 / size + 0.05; // stroke half-width
  const near = (d: number) => Math.abs(d) < w;
  // the trunk from the left, then two branches: up-right (canary), down-right (stable)
  if (u < 0.45 && near(v - 0.5) && u > 0.15) return STABLE;
  if (u >= 0.4 && u < 0.85 && near(v - 0.5 - (u - 0.45) * 0.7)) return STABLE;
  if (u >= 0.4 && u < 0.85 && near(v - 0.5 + (u - 0.45) * 0.7)) return CANARY;
  return TILE;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows: number[] = [];
  for (let y = 0; y < size; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < size; x++) rows.push(...pixel(x, y, size));
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** An ICO directory of PNG images (Vista+ and every current browser read PNG entries). */
function ico(images: Array<{ size: number; data: Buffer }>): Buffer {
  const head = Buffer.alloc(6 + 16 * images.length);
  head.writeUInt16LE(0, 0);
  head.writeUInt16LE(1, 2); // icon
  head.writeUInt16LE(images.length, 4);
  let offset = head.length;
  images.forEach(({ size, data }, i) => {
    const e = 6 + 16 * i;
    head.writeUInt8(size, e);
    head.writeUInt8(size, e + 1);
    head.writeUInt16LE(1, e + 4); // planes
    head.writeUInt16LE(32, e + 6); // bits per pixel
    head.writeUInt32LE(data.length, e + 8);
    head.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([head, ...images.map((i) => i.data)]);
}

const out = path.resolve(__dirname, '../public/favicon.ico');
writeFileSync(out, ico([16, 32].map((size) => ({ size, data: png(size) }))));
console.log(`wrote ${path.relative(process.cwd(), out)}`);
