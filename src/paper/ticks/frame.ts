/**
 * WebSocket binary messages of Kite's tick stream (Kite v3 docs, "Message structure"): an int16
 * count of packets, then each packet as an int16 length and its body, all big-endian.
 */

/**
 * Kite's docs call both header fields "SHORT or int16". The official decoders read them
 * unsigned, but a hand-written client reading them signed is plausible, so we stay below 2^15.
 */
export const MAX_PACKETS_PER_FRAME = 0x7fff;
export const MAX_PACKET_BYTES = 0x7fff;

/**
 * The keep-alive Kite sends "every couple seconds" when there is nothing to stream: a 1-byte
 * binary message, which the clients skip (they parse only messages longer than 2 bytes).
 * Shared: do not write into it.
 */
export const HEARTBEAT: Buffer = Buffer.alloc(1);

/**
 * One binary message holding `packets` in order. Throws RangeError past the header limits;
 * `encodeFrames` splits instead.
 */
export function encodeFrame(packets: readonly Buffer[]): Buffer {
  if (packets.length > MAX_PACKETS_PER_FRAME) {
    throw new RangeError(`${packets.length} packets exceed ${MAX_PACKETS_PER_FRAME} per frame`);
  }
  let size = 2;
  for (const p of packets) {
    if (p.length > MAX_PACKET_BYTES) throw new RangeError(`packet of ${p.length} bytes is too long`);
    size += 2 + p.length;
  }
  const frame = Buffer.alloc(size);
  frame.writeUInt16BE(packets.length, 0);
  let offset = 2;
  for (const p of packets) {
    frame.writeUInt16BE(p.length, offset);
    p.copy(frame, offset + 2);
    offset += 2 + p.length;
  }
  return frame;
}

/**
 * As many frames as needed, each holding at most `maxPacketsPerFrame` packets, order kept.
 * A connection is capped at 3000 instruments, so one frame normally suffices; this is for
 * callers that batch more (several connections' worth) or want smaller messages.
 */
export function encodeFrames(packets: readonly Buffer[], maxPacketsPerFrame: number = MAX_PACKETS_PER_FRAME): Buffer[] {
  if (!Number.isInteger(maxPacketsPerFrame) || maxPacketsPerFrame < 1 || maxPacketsPerFrame > MAX_PACKETS_PER_FRAME) {
    throw new RangeError(`maxPacketsPerFrame must be 1..${MAX_PACKETS_PER_FRAME}, got ${maxPacketsPerFrame}`);
  }
  const frames: Buffer[] = [];
  for (let i = 0; i < packets.length; i += maxPacketsPerFrame) {
    frames.push(encodeFrame(packets.slice(i, i + maxPacketsPerFrame)));
  }
  return frames;
}
