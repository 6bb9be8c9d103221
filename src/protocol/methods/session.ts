import { z } from 'zod';
import { brokerModeSchema } from './system.js';

export const sessionInfoSchema = z.object({
  mode: brokerModeSchema,
  user_id: z.string(),
  user_name: z.string(),
  login_time: z.string(),
  expires_at: z.string(),
});

export const sessionMethods = {
  /** Where the user signs in (real Kite); paper mode needs no page. */
  'session.loginUrl': {
    params: z.object({}).strict().default({}),
    result: z.object({ mode: brokerModeSchema, url: z.string().nullable() }),
  },
  /**
   * Exchange a request_token (real Kite) for the day's access token, kept by somd in a 0600
   * file. In paper mode no token is needed: somd signs in to the paper exchange itself.
   */
  'session.login': {
    params: z
      .object({
        request_token: z
          .string()
          .regex(/^[A-Za-z0-9]{6,64}$/, 'not a Kite request_token')
          .optional(),
      })
      .strict()
      .default({}),
    result: sessionInfoSchema,
  },
  'session.logout': {
    params: z.object({}).strict().default({}),
    result: z.object({ mode: brokerModeSchema, loggedOut: z.boolean() }),
  },
} as const;
