/**
 * A one-line choice at a terminal (ink): the choices side by side, the selected one
 * highlighted; arrow keys or Tab move, Enter takes it, a choice's letter takes it at once.
 * With a deadline it counts down and gives up when it passes. Loaded only by the interactive
 * paths of `som trade` and `som alerts respond` (ink costs most of a second to load).
 */

import { readyForScreen } from './screen-env.js';
import { typedKeys } from './typed-keys.js';

export interface PromptChoice<V extends string> {
  /** The letter that takes it at once. */
  key: string;
  label: string;
  value: V;
}

export type PromptAnswer<V extends string> = V | 'expired' | 'interrupted';

interface Props<V extends string> {
  question: string;
  choices: readonly PromptChoice<V>[];
  /** Wall-clock milliseconds when the question lapses. */
  deadline: number | null;
  done(answer: PromptAnswer<V>): void;
}

function secondsLeft(deadline: number): number {
  return Math.max(0, Math.ceil((deadline - Date.now()) / 1000));
}

function clock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** Ask; resolves with the choice, `expired` at the deadline, or `interrupted` (Ctrl-C, Esc). */
export async function choose<V extends string>(
  question: string,
  choices: readonly PromptChoice<V>[],
  options: { deadline?: number | null } = {},
): Promise<PromptAnswer<V>> {
  // Loaded here, on the one path that asks: a module of commands/ never imports them statically.
  const { default: React } = await import('react');
  readyForScreen();
  const { Box, render, Text, useApp, useInput } = await import('ink');
  const h = React.createElement;

  function Prompt({ question, choices, deadline, done }: Props<V>) {
    const { exit } = useApp();
    const [selected, setSelected] = React.useState(0);
    // Keys typed faster than a render (a quick Right then Enter, a paste) reach a handler whose
    // `selected` is one render old; the ref is what Enter reads, so it takes the last key's choice.
    const current = React.useRef(0);
    const move = (by: number) => {
      current.current = (current.current + by + choices.length) % choices.length;
      setSelected(current.current);
    };
    const [left, setLeft] = React.useState(deadline === null ? null : secondsLeft(deadline));
    const finish = React.useCallback(
      (answer: PromptAnswer<V>) => {
        done(answer);
        exit();
      },
      [done, exit],
    );
    React.useEffect(() => {
      if (deadline === null) return;
      const timer = setInterval(() => {
        const s = secondsLeft(deadline);
        setLeft(s);
        if (s === 0) finish('expired');
      }, 250);
      return () => clearInterval(timer);
    }, [deadline, finish]);
    useInput((typed, key) => {
      // A burst of letters: the first that names a choice takes it.
      const input = typedKeys(typed).find((k) => choices.some((c) => c.key === k.toLowerCase())) ?? typed;
      if ((key.ctrl && input === 'c') || key.escape) return finish('interrupted');
      if (key.leftArrow || key.upArrow || (key.tab && key.shift)) {
        return move(-1);
      }
      if (key.rightArrow || key.downArrow || key.tab) return move(1);
      if (key.return) return finish(choices[current.current]!.value);
      const picked = choices.find((c) => c.key === input.toLowerCase());
      if (picked) finish(picked.value);
    });
    return h(
      Box,
      { flexDirection: 'column' },
      h(
        Box,
        { gap: 2 },
        h(Text, { bold: true }, question),
        ...choices.map((c, i) =>
          h(
            Text,
            { key: c.value, inverse: i === selected, ...(i === selected ? { color: 'cyan' } : {}) },
            ` [${c.key}] ${c.label} `,
          ),
        ),
      ),
      h(
        Text,
        { dimColor: true },
        `←/→ to choose, Enter to confirm, or press the letter${left === null ? '' : `; ${clock(left)} left`}`,
      ),
    );
  }

  let answer: PromptAnswer<V> = 'interrupted';
  const app = render(
    h(Prompt, {
      question,
      choices,
      deadline: options.deadline ?? null,
      done: (a: PromptAnswer<V>) => {
        answer = a;
      },
    }),
    { exitOnCtrlC: false, patchConsole: false },
  );
  await app.waitUntilExit();
  return answer;
}
