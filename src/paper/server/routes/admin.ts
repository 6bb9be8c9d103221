import { z } from 'zod';
import type { PaperClock } from '../../clock.js';
import type { Faults } from '../../faults.js';
import { inputError } from '../kite-error.js';
import type { Route } from '../router.js';

/** What the admin endpoint can reach. Not part of Kite's API: paths start with /paper/admin. */
export interface AdminVenue {
  clock: PaperClock;
  faults: Faults;
  state(): unknown;
  invalidateTokens(apiKey?: string): number;
  dropWebSockets(): void;
  /** Apply a market scenario to an instrument; returns an error message or null. */
  scenario(instrument: string, scenario: Scenario): string | null;
  /** Run the market and matching up to the clock's time now (after a clock jump). */
  sync(): void;
}

export const scenarioSchema = z
  .object({
    /** Price points the instrument follows, each at an offset from now (ms) or an ISO instant. */
    price_path: z
      .array(
        z.union([
          z.object({ offset_ms: z.number().int().min(0), price: z.number().positive() }).strict(),
          z.object({ at: z.iso.datetime({ offset: true }), price: z.number().positive() }).strict(),
        ]),
      )
      .min(1)
      .optional(),
    widen_spread: z.number().positive().optional(),
    dry_up_depth: z.number().positive().optional(),
    reset: z.boolean().optional(),
  })
  .strict();
export type Scenario = z.infer<typeof scenarioSchema>;

const clockSchema = z
  .object({
    jump_to: z.iso.datetime({ offset: true }).optional(),
    advance_ms: z.number().int().min(0).optional(),
    speed: z.number().positive().max(10_000).optional(),
  })
  .strict();

function json<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    throw inputError(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

/**
 * The paper exchange's own control surface for tests and scenarios: faults, clock, market
 * scenarios, token invalidation, WebSocket drops. JSON in, Kite's envelope out.
 */
export function adminRoutes(venue: AdminVenue): Route[] {
  const admin = (method: string, pattern: string, handle: Route['handle']): Route => ({
    method,
    pattern: `/paper/admin${pattern}`,
    auth: false,
    limit: 'none',
    handle,
  });
  return [
    admin('GET', '/state', () => ({ data: venue.state() })),
    admin('GET', '/faults', () => ({ data: venue.faults.settings })),
    admin('POST', '/faults', ({ params }) => {
      try {
        return { data: venue.faults.set(params.json ?? {}) };
      } catch (err) {
        throw inputError(
          err instanceof z.ZodError
            ? err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
            : String(err),
        );
      }
    }),
    admin('DELETE', '/faults', () => {
      venue.faults.clear();
      return { data: venue.faults.settings };
    }),
    admin('POST', '/tokens/invalidate', ({ params }) => {
      const body = json(z.object({ api_key: z.string().min(1).optional() }).strict(), params.json);
      return { data: { invalidated: venue.invalidateTokens(body.api_key) } };
    }),
    admin('POST', '/ws/drop', () => {
      venue.dropWebSockets();
      return { data: { dropped: true } };
    }),
    admin('POST', '/clock', ({ params }) => {
      const body = json(clockSchema, params.json);
      if (body.jump_to) venue.clock.jump(new Date(body.jump_to));
      if (body.advance_ms) venue.clock.advance(body.advance_ms);
      if (body.speed) venue.clock.setSpeed(body.speed);
      venue.sync();
      return { data: { now: venue.clock.now().toISOString(), speed: venue.clock.speed } };
    }),
    admin('POST', '/scenario/{instrument}', ({ pathParams, params }) => {
      const body = json(scenarioSchema, params.json);
      const error = venue.scenario(pathParams.instrument!, body);
      if (error) throw inputError(error);
      venue.sync();
      return { data: { instrument: pathParams.instrument, applied: body } };
    }),
  ];
}
