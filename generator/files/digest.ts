// The CLI's sha256: node:crypto's, a tenth of the pure-JS digest's time (core/hash.ts, which the
// add-in needs in any browser). Held equal to it by test/check-digest.test.ts.
import { createHash } from 'node:crypto';
import type { Sha256Hex } from '../../core/hash.ts';

export const nodeSha256Hex: Sha256Hex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
