import { generate } from 'otplib';

const TOTP_STEP_SECONDS = 30;

/**
 * TOTP codes as an authenticator app would show them, but never the same time step twice for one
 * secret: the server refuses a replayed step (AUTH-3). The server accepts ±1 step, so the next
 * step is fine; beyond that, wait for real time to catch up.
 */
export class Authenticator {
  private readonly lastStep = new Map<string, number>();

  async code(secret: string): Promise<string> {
    const normalised = secret.replace(/\s/g, '');
    for (;;) {
      const nowStep = Math.floor(Date.now() / 1000 / TOTP_STEP_SECONDS);
      const step = Math.max(nowStep, (this.lastStep.get(normalised) ?? -1) + 1);
      if (step <= nowStep + 1) {
        this.lastStep.set(normalised, step);
        return generate({ secret: normalised, epoch: step * TOTP_STEP_SECONDS });
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, 1000));
    }
  }
}
