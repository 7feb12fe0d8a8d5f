import zlib from 'node:zlib';

/** A gzip member header: deflate, no flags, no modification time, Unix. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]);

/**
 * Bytes that no deflate decoder accepts at a block boundary: the first three bits read as
 * a final block of the reserved type 3, so inflate fails with "invalid block type".
 */
const INVALID_BLOCK = Buffer.alloc(16, 0xff);

/**
 * Writes a gzip stream that goes bad on request. Each chunk is deflated on its own with a
 * sync flush, which ends it on a byte boundary without a final block, so the chunks join
 * into one valid deflate stream. `corrupt` then appends bytes that fail at the next block.
 */
export class BrokenGzipEncoder {
  private started = false;

  /** Returns the compressed bytes of `chunk`, led by the gzip header on the first call. */
  encode(chunk: Uint8Array): Buffer {
    const deflated =
      chunk.byteLength === 0
        ? Buffer.alloc(0)
        : zlib.deflateRawSync(chunk, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    if (this.started) return deflated;
    this.started = true;
    return Buffer.concat([GZIP_HEADER, deflated]);
  }

  /** Returns the bytes that make the stream invalid, after the header if nothing was sent. */
  corrupt(): Buffer {
    return Buffer.concat([this.encode(new Uint8Array(0)), INVALID_BLOCK]);
  }
}
