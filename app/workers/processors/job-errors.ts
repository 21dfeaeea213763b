import { UnrecoverableError, type Job } from "bullmq";
import { PayloadError } from "../../ingest/order-record";
import { ShopSettingsError } from "../../settings/shop-config";

/** Whether this try is the job's last (then failures are recorded as final). */
export function isFinalAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * Errors that retrying cannot fix (stored settings that no longer validate, a
 * payload that cannot be read) stop the job's retries: BullMQ's
 * UnrecoverableError. Everything else is retried with backoff.
 */
export async function withPermanentErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ShopSettingsError || error instanceof PayloadError) {
      throw new UnrecoverableError(error.message);
    }
    throw error;
  }
}

export function unknownJob(job: Job): never {
  throw new UnrecoverableError(`Unknown job ${job.name} on ${job.queueName}`);
}
