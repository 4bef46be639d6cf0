// Jobs two threads share without asking each other: each job is one slot of a shared Int32Array,
// done by whichever thread first turns it from 0 to 1. Neither waits for the other's event loop,
// so a thread busy rendering never holds up the one looking for more work.

export function jobClaims(jobs: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * jobs));
}

/** True for exactly one caller per slot, on whichever thread. */
export function claim(claims: Int32Array, job: number): boolean {
  return Atomics.compareExchange(claims, job, 0, 1) === 0;
}
