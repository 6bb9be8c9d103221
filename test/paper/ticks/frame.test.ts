import { describe, expect, it } from 'vitest';
import { encodeFrame, encodeFrames, HEARTBEAT, MAX_PACKETS_PER_FRAME } from '../../../src/paper/ticks/frame.js';
import { fixturePacket, officialDecode } from './helpers.js';

describe('encodeFrame', () => {
  it('prefixes the packet count and each packet length, big-endian', () => {
    const frame = encodeFrame([Buffer.from([0xaa, 0xbb]), Buffer.from([0xcc, 0xdd, 0xee])]);
    // count 2 | len 2 | aa bb | len 3 | cc dd ee
    expect(frame.toString('hex')).toBe('0002' + '0002aabb' + '0003ccddee');
  });

  it('wraps a 184-byte body as 2 + 2 + 184 bytes', () => {
    const frame = encodeFrame([fixturePacket('ticker_full.packet')]);
    expect(frame.length).toBe(188);
    expect(frame.subarray(0, 4).toString('hex')).toBe('000100b8'); // 1 packet, 0xb8 = 184 bytes
  });

  it('refuses more packets than the int16 count can hold', () => {
    const packets = Array.from({ length: MAX_PACKETS_PER_FRAME + 1 }, () => Buffer.alloc(8));
    expect(() => encodeFrame(packets)).toThrow(RangeError);
  });
});

describe('encodeFrames', () => {
  it('splits into frames of at most the given size, keeping order', () => {
    const packets = [1, 2, 3, 4, 5].map((n) => Buffer.from([0, 0, 0, n, 0, 0, 0, 100]));
    const frames = encodeFrames(packets, 2);
    expect(frames.map((f) => f.readUInt16BE(0))).toEqual([2, 2, 1]);
    expect(frames.flatMap((f) => officialDecode(f).map((t) => t.instrument_token))).toEqual([1, 2, 3, 4, 5]);
  });

  it('returns no frames for no packets', () => {
    expect(encodeFrames([])).toEqual([]);
  });
});

describe('HEARTBEAT', () => {
  it('is one byte, which the official client skips', () => {
    // The JS client parses only binary messages longer than 2 bytes, the Python one 2 or more.
    expect(HEARTBEAT.length).toBe(1);
  });
});
