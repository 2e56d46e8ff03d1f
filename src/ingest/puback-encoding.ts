/** MQTT control packet type 4 (PUBACK) in the high nibble of the fixed header. */
const PUBACK = 0x40;
const PUBACK_BYTES = 4;

/**
 * The PUBACKs of many QoS 1 messages as one buffer, for one socket write. MQTT.js writes each
 * acknowledgement as three small writes through its own packet generator, and a committed batch
 * releases a couple of thousand at once.
 *
 * Each is the 4-byte packet of MQTT 3.1.1 (type, remaining length 2, message id). MQTT 5 reads the
 * same bytes as success without properties: section 3.4.2.1 allows leaving the reason code out.
 */
export function encodePubacks(messageIds: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(messageIds.length * PUBACK_BYTES);
  let at = 0;
  for (const id of messageIds) {
    if (!Number.isInteger(id) || id < 1 || id > 0xffff) throw new RangeError(`not an MQTT message id: ${id}`);
    out[at] = PUBACK;
    out[at + 1] = 2;
    out.writeUInt16BE(id, at + 2);
    at += PUBACK_BYTES;
  }
  return out;
}
