import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors';
import { createLimiter } from '../../src/pendo/limiter';

describe('createLimiter', () => {
  it('grants up to the maximum at once', async () => {
    const limiter = createLimiter(2);
    await limiter.acquire();
    await limiter.acquire();
    expect(limiter.active).toBe(2);
    let third = false;
    void limiter.acquire().then(() => {
      third = true;
    });
    await Promise.resolve();
    expect(third).toBe(false);
    expect(limiter.waiting).toBe(1);
  });

  it('hands a freed slot to the first waiter', async () => {
    const limiter = createLimiter(1);
    const release = await limiter.acquire();
    const order: number[] = [];
    const first = limiter.acquire().then((free) => {
      order.push(1);
      return free;
    });
    const second = limiter.acquire().then((free) => {
      order.push(2);
      return free;
    });
    release();
    (await first)();
    (await second)();
    expect(order).toEqual([1, 2]);
    expect(limiter.active).toBe(0);
  });

  it('ignores a second release', async () => {
    const limiter = createLimiter(2);
    const release = await limiter.acquire();
    await limiter.acquire();
    release();
    release();
    expect(limiter.active).toBe(1);
  });

  it('never exceeds the maximum under load', async () => {
    const limiter = createLimiter(3);
    let running = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const release = await limiter.acquire();
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, i % 5));
        running -= 1;
        release();
      }),
    );
    expect(peak).toBe(3);
    expect(limiter.active).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects %s slots', (slots) => {
    expect(() => createLimiter(slots)).toThrow(ConfigError);
  });
});
