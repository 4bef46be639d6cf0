// The office's review password must not travel to units inside the pane's bundle.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planForPane } from '../addin/scripts/plan-for-pane.ts';
import { parsePlan } from '../core/plan.ts';

const defaultPlan = readFileSync(new URL('../templates/plan.yaml', import.meta.url), 'utf8');

describe('the plan bundled into the pane', () => {
  it('drops review.password and keeps everything else', () => {
    const withSecret = `${defaultPlan}\nreview:\n  password: 局办秘钥-2468\n`;
    const bundled = planForPane(withSecret);
    expect(bundled).not.toContain('局办秘钥-2468');
    const parsed = parsePlan(bundled, 'plan.yaml');
    const original = parsePlan(withSecret, 'plan.yaml');
    expect(parsed.ok && original.ok).toBe(true);
    if (!parsed.ok || !original.ok) return;
    expect(parsed.plan.review).toBeUndefined();
    expect(original.plan.review?.password).toBe('局办秘钥-2468');
    expect({ ...parsed.plan }).toEqual({ ...original.plan, review: undefined });
  });

  it('leaves a plan without a review block byte for byte', () => {
    expect(planForPane(defaultPlan)).toBe(defaultPlan);
  });
});
