import { connect, Socket } from 'node:net';

/** The fixed header of an MQTT packet: type and flags, then the remaining length as a variable byte integer. */
export function fixedHeader(firstByte: number, remainingLength: number): Buffer {
  const bytes = [firstByte];
  let n = remainingLength;
  do {
    let digit = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) digit |= 0x80;
    bytes.push(digit);
  } while (n > 0);
  return Buffer.from(bytes);
}

export const CONNECT = 0x10;

export interface StreamResult {
  /** The broker ended the connection before the client had sent everything it meant to. */
  closedByBroker: boolean;
  sentBytes: number;
  ms: number;
}

/**
 * A hostile client on a raw TCP socket: sends `header`, then `bodyBytes` of filler as fast as the
 * broker reads it, and reports whether the broker cut it off first.
 */
export async function streamPacket(port: number, header: Buffer, bodyBytes: number): Promise<StreamResult> {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const socket = connect(port, '127.0.0.1');
  const started = Date.now();
  let sentBytes = 0;
  let closed = false;
  const closedPromise = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  socket.once('close', () => (closed = true));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.write(header);
  while (!closed && sentBytes < bodyBytes) {
    const piece = chunk.subarray(0, Math.min(chunk.length, bodyBytes - sentBytes));
    sentBytes += piece.length;
    if (!socket.write(piece)) await waitForDrainOrClose(socket);
  }
  const closedByBroker = closed;
  if (!closed) socket.destroy();
  await closedPromise;
  return { closedByBroker, sentBytes, ms: Date.now() - started };
}

function waitForDrainOrClose(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.once('drain', done);
    socket.once('close', done);
  });
}

/** A TCP connection that sends nothing; resolves with how long the broker kept it open. */
export async function idleConnection(port: number): Promise<{ socket: Socket; closed: Promise<number> }> {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  const opened = Date.now();
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - opened)));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, closed };
}
