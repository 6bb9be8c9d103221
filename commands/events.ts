import type { EventNotificationParams, EventTopic, SomEvent } from '../src/protocol/methods/events.js';
import { Command } from './commander.js';
import { action, type CliDeps, type CommandIO, usageError } from './context.js';
import { summaryOf } from './manifest.js';

/** What `som events` can ask for (the protocol's list, repeated here: the CLI loads no schema). */
const TOPICS: readonly EventTopic[] = ['orders', 'positions', 'ticks', 'alerts', 'jobs', 'housekeeping'];
const TICK_INTERVAL = { min: 100, max: 60_000 } as const;

export interface EventsOptions {
  topics?: EventTopic[] | undefined;
  tickIntervalMs?: number | undefined;
}

/** `som events`: somd's events as they happen, one a line. */
export function eventsCommand(deps: CliDeps): Command {
  return new Command('events')
    .description(summaryOf('events'))
    .option('--topics <list>', `comma-separated: ${TOPICS.join(', ')} (default: all)`, parseTopics)
    .option(
      '--tick-interval <ms>',
      `at most one tick summary this often, milliseconds (${TICK_INTERVAL.min}-${TICK_INTERVAL.max}; default 1000)`,
      parseInterval,
    )
    .addHelpText(
      'after',
      '\nWith --json, each event is one JSON object on a line of its own (JSON lines), not one document;\n' +
        'the first is {"type":"subscribed",...}: everything after it is heard.\n' +
        'Runs until interrupted (Ctrl-C: exit 0) or until somd goes away (exit 3).',
    )
    .action(
      action(deps, (io, flags: { topics?: EventTopic[]; tickInterval?: number }) =>
        run({ topics: flags.topics, tickIntervalMs: flags.tickInterval }, io),
      ),
    );
}

/** Subscribe and print every event until interrupted or until somd closes the connection. */
export async function run(opts: EventsOptions, io: CommandIO): Promise<void> {
  const client = await io.client();
  if (!client.notifications) throw usageError('this connection to somd cannot carry events');
  const render = io.json ? null : (await import('./ui/events.js')).renderEvent;
  const print = (event: SomEvent) => io.line(render ? render(event) : JSON.stringify(event));
  // Events read in the same chunk as the answer wait for the "subscribed" line.
  let early: SomEvent[] | null = [];
  const closed = client.notifications((method, params) => {
    if (method !== 'events.event') return;
    const { event } = params as EventNotificationParams;
    if (early) early.push(event);
    else print(event);
  });
  const { subscription, topics, tick_interval_ms, at } = await client.call('events.subscribe', {
    ...(opts.topics ? { topics: opts.topics } : {}),
    ...(opts.tickIntervalMs !== undefined ? { tick_interval_ms: opts.tickIntervalMs } : {}),
  });
  // The first line says the stream has begun: a script knows from when it hears everything.
  if (io.json) io.line(JSON.stringify({ type: 'subscribed', at, subscription, topics, tick_interval_ms }));
  else io.note(`listening for ${topics.join(', ')} (Ctrl-C to stop)`);
  for (const event of early) print(event);
  early = null;
  const ended = await Promise.race([
    closed.then(() => 'closed' as const),
    io.interrupted().then(() => 'user' as const),
  ]);
  if (ended === 'closed') {
    io.note('som: somd closed the connection');
    io.exitWith(3);
  }
}

function parseTopics(value: string): EventTopic[] {
  const topics = value.split(',').map((t) => t.trim().toLowerCase());
  const unknown = topics.filter((t) => !(TOPICS as readonly string[]).includes(t));
  if (unknown.length > 0 || topics.length === 0)
    throw usageError(`--topics takes ${TOPICS.join(', ')}; not ${unknown.join(', ') || 'nothing'}`);
  return topics as EventTopic[];
}

function parseInterval(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < TICK_INTERVAL.min || n > TICK_INTERVAL.max)
    throw usageError(
      `--tick-interval must be a whole number of milliseconds from ${TICK_INTERVAL.min} to ${TICK_INTERVAL.max}, not "${value}"`,
    );
  return n;
}
