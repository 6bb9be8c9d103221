import { z } from 'zod';
import { jobTriggerSchema } from './admin.js';
import { alertViewSchema } from './alerts.js';
import { cleanupActionSchema } from './housekeeping.js';
import { orderViewSchema, positionViewSchema } from './orders.js';

/**
 * Pushed events: after `events.subscribe`, somd sends JSON-RPC notifications on the same
 * connection, `{"jsonrpc":"2.0","method":"events.event","params":{"subscription":N,"event":{...}}}`,
 * until the connection closes or `events.unsubscribe`. Each event has a `type` and `at` (the
 * instant on somd's clock).
 */
export const EVENT_NOTIFICATION = 'events.event';

/** What a subscriber can ask for. */
export const EVENT_TOPICS = ['orders', 'positions', 'ticks', 'alerts', 'jobs', 'housekeeping'] as const;
export type EventTopic = (typeof EVENT_TOPICS)[number];

/** Tick summaries come at most this often, and at least this seldom (milliseconds). */
export const TICK_INTERVAL_MS = { min: 100, default: 1000, max: 60_000 } as const;

const at = z.string();

/** A position marked to the live feed (Kite's figures moved by the last price since the broker's report). */
export const markedPositionSchema = z.object({
  id: z.number().int(),
  exchange: z.string(),
  tradingsymbol: z.string(),
  product: z.string(),
  quantity: z.number(),
  last_price: z.number(),
  pnl: z.number(),
  m2m: z.number(),
  unrealised: z.number(),
});

export const seriesPointSchema = z.object({ at: z.string(), value: z.number() });

export const somEventSchema = z.discriminatedUnion('type', [
  /**
   * An order's state, as `som orders` shows it, after it changed (a fill, a cancel, a role
   * judged); `open` while it still works (not complete, cancelled or rejected).
   */
  z.object({ type: z.literal('order'), at, open: z.boolean(), order: orderViewSchema }),
  /** Today's positions (open, and closed today) after the broker's positions changed. */
  z.object({ type: z.literal('positions'), at, positions: z.array(positionViewSchema) }),
  /**
   * The feed since the subscriber's last summary: instruments whose last price moved, today's
   * positions marked to the feed, and the account's P&L and M2M.
   */
  z.object({
    type: z.literal('ticks'),
    at,
    ticks: z.array(
      z.object({
        instrument_token: z.number().int(),
        exchange: z.string().nullable(),
        tradingsymbol: z.string().nullable(),
        last_price: z.number(),
        net_change: z.number(),
      }),
    ),
    positions: z.array(markedPositionSchema),
    account: z.object({ pnl: z.number(), m2m: z.number() }),
  }),
  /** An alert raised, marked read or resolved. */
  z.object({ type: z.literal('alert'), at, change: z.enum(['raised', 'read', 'resolved']), alert: alertViewSchema }),
  /** A scheduled job's run ended. */
  z.object({
    type: z.literal('job'),
    at,
    job: z.string(),
    trigger: jobTriggerSchema,
    ok: z.boolean(),
    result: z.string(),
    duration_ms: z.number(),
  }),
  /** Housekeeping acted on orders of an instrument (cancelled or reduced orphans). */
  z.object({
    type: z.literal('housekeeping'),
    at,
    exchange: z.string().nullable(),
    tradingsymbol: z.string().nullable(),
    actions: z.array(cleanupActionSchema),
  }),
]);
export type SomEvent = z.infer<typeof somEventSchema>;
export type SomEventType = SomEvent['type'];

/** The notification's params. */
export interface EventNotificationParams {
  subscription: number;
  event: SomEvent;
}

export const eventMethods = {
  /**
   * Start pushing events on this connection. Orders, alerts, jobs and housekeeping are sent as
   * they happen; positions as they change (bursts folded together); ticks as one summary per
   * `tick_interval_ms` at most. The result carries the day's M2M so far, a point a minute.
   */
  'events.subscribe': {
    params: z
      .object({
        topics: z.array(z.enum(EVENT_TOPICS)).min(1).optional(),
        tick_interval_ms: z
          .number()
          .int()
          .min(TICK_INTERVAL_MS.min)
          .max(TICK_INTERVAL_MS.max)
          .default(TICK_INTERVAL_MS.default),
      })
      .strict()
      .default({ tick_interval_ms: TICK_INTERVAL_MS.default }),
    result: z.object({
      subscription: z.number().int(),
      topics: z.array(z.enum(EVENT_TOPICS)),
      tick_interval_ms: z.number().int(),
      at,
      /** Today's positions (open, and closed today) as the broker last reported them. */
      positions: z.array(positionViewSchema),
      m2m_today: z.array(seriesPointSchema),
    }),
  },
  /** Stop one subscription on this connection (closing the connection ends them all). */
  'events.unsubscribe': {
    params: z.object({ subscription: z.number().int().positive() }).strict(),
    result: z.object({ unsubscribed: z.boolean() }),
  },
} as const;
