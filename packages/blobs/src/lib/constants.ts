/** Chunk-group exponent of every blob's Bao tree: 2^4 chunks = 16 KiB groups (as iroh uses). */
export const BLOB_K = 4
/** Bytes in one chunk group: the unit a range is verified (and an encrypted blob sealed) in. */
export const GROUP_BYTES = 1024 * 2 ** BLOB_K
/** Most content bytes in one `blobs.write` call. */
export const MAX_WRITE_BYTES = 512 * 1024
/** Most content bytes one `blobs.read` call asks for (its answer is the slice: these bytes and their parents). */
export const MAX_READ_BYTES = 4 * 1024 * 1024
/** Most holders one `blobs.holders` answer lists. */
export const MAX_HOLDERS = 16
/** What an owner signs to pin a blob on a relay: relay key ‖ hash ‖ size (u64 LE). */
export const PIN_CONTEXT = 'lume/blobs/pin/v1'
/** What an owner signs to drop its pin of a blob on a relay: relay key ‖ hash ‖ size (u64 LE), as for a pin. */
export const UNPIN_CONTEXT = 'lume/blobs/unpin/v1'
/** The key a relay announces a blob under in the cache directory: BLAKE3(context ‖ hash), apart from request hashes. */
export const HOLDER_CONTEXT = 'lume/blobs/holder/v1'
/** The least a stored blob counts for in quotas and the cache budget: one file-system block, however small it is. */
export const MIN_CHARGE_BYTES = 4096
