import type { CommandSpec, OptionSpec, ValueSource } from './spec.js';

/**
 * Completion scripts written from som's own command tree (./spec.ts), so they list what this
 * som takes and never drift from it. Strategy names and open order ids are asked of somd when
 * completing, through `som completion --values`, which prints nothing when somd cannot answer.
 */

const HEADER = (shell: string, load: string) =>
  [
    `# som completion for ${shell}, written by \`som completion ${shell}\` from som's own commands.`,
    `# Load it with: ${load}`,
    '',
  ].join('\n');

/** A word in single quotes for sh, bash, zsh and fish. */
function q(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

function valuesCommand(source: ValueSource): string | null {
  if (source === null) return null;
  if ('choices' in source) return `echo ${q(source.choices.join(' '))}`;
  return `_som_values ${source.dynamic}`;
}

/** bash: `complete -F _som som`. */
export function bashScript(specs: readonly CommandSpec[]): string {
  const key = (s: CommandSpec) => q(s.path.join(' '));
  const cases = (name: string, args: string, lines: string[]) =>
    [`${name}() {`, `  case ${args} in`, ...lines, '  esac', '  return 1', '}'].join('\n');
  const valueOptions = specs.flatMap((s) => s.options.filter((o) => o.takesValue).map((o) => [s, o] as const));
  const optionValues = valueOptions.flatMap(([s, o]) => {
    const command = valuesCommand(o.values);
    return command ? o.names.map((n) => `    ${q(`${s.path.join(' ')}|${n}`)}) ${command} ;;`) : [];
  });
  const argumentValues = specs.flatMap((s) =>
    s.args.flatMap((a, i) => {
      const command = valuesCommand(a);
      return command ? [`    ${q(`${s.path.join(' ')}|${i}`)}) ${command} ;;`] : [];
    }),
  );
  const takesValue = valueOptions.flatMap(([s, o]) => o.names.map((n) => q(`${s.path.join(' ')}|${n}`)));
  return [
    HEADER('bash', 'source <(som completion bash)   (or save it as ~/.local/share/bash-completion/completions/som)'),
    '_som_values() { som completion --values "$1" 2>/dev/null; }',
    cases(
      '_som_subcommands',
      '"$1"',
      specs
        .filter((s) => s.subcommands.length > 0)
        .map((s) => `    ${key(s)}) echo ${q(s.subcommands.map((c) => c.name).join(' '))}; return 0 ;;`),
    ),
    cases(
      '_som_options',
      '"$1"',
      specs.map((s) => `    ${key(s)}) echo ${q(s.options.flatMap((o) => o.names).join(' '))}; return 0 ;;`),
    ),
    cases('_som_takes_value', '"$1|$2"', takesValue.length > 0 ? [`    ${takesValue.join('|')}) return 0 ;;`] : []),
    cases(
      '_som_option_values',
      '"$1|$2"',
      optionValues.map((l) => l.replace(/ ;;$/, '; return 0 ;;')),
    ),
    cases(
      '_som_argument_values',
      '"$1|$2"',
      argumentValues.map((l) => l.replace(/ ;;$/, '; return 0 ;;')),
    ),
    `_som() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  local path='' word i nargs=0 skip=0
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=\${COMP_WORDS[i]}
    if ((skip)); then skip=0; continue; fi
    if [[ $word == -* ]]; then
      [[ $word != *=* ]] && _som_takes_value "$path" "$word" && skip=1
      continue
    fi
    if [[ " $(_som_subcommands "$path") " == *" $word "* ]]; then
      path=\${path:+$path }$word
      nargs=0
    else
      ((nargs++))
    fi
  done
  if ((COMP_CWORD > 1)) && [[ $prev == -* ]] && _som_takes_value "$path" "$prev"; then
    COMPREPLY=($(compgen -W "$(_som_option_values "$path" "$prev")" -- "$cur"))
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_som_options "$path")" -- "$cur"))
  elif _som_subcommands "$path" >/dev/null; then
    COMPREPLY=($(compgen -W "$(_som_subcommands "$path")" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$(_som_argument_values "$path" "$nargs")" -- "$cur"))
  fi
}
complete -F _som som
`,
  ].join('\n');
}

/** zsh: the bash script through zsh's bashcompinit, which runs bash completions as they are. */
export function zshScript(specs: readonly CommandSpec[]): string {
  return [
    HEADER('zsh', 'source <(som completion zsh)   (after compinit)'),
    'autoload -U +X bashcompinit && bashcompinit',
    bashScript(specs).split('\n').slice(3).join('\n'),
  ].join('\n');
}

/** fish: one `complete` line a subcommand, option and argument, each under the words that lead to it. */
export function fishScript(specs: readonly CommandSpec[]): string {
  const lines = [
    HEADER('fish', 'som completion fish | source   (or save it as ~/.config/fish/completions/som.fish)'),
    'function __som_values; som completion --values $argv[1] 2>/dev/null; end',
    'complete -c som -f',
  ];
  const at = (s: CommandSpec) => {
    const seen = s.path.map((w) => `__fish_seen_subcommand_from ${w}`);
    return s.path.length === 0 ? '__fish_use_subcommand' : seen.join('; and ');
  };
  for (const s of specs) {
    const here = at(s);
    const deeper = s.subcommands.map((c) => c.name);
    const notDeeper = deeper.length > 0 ? `; and not __fish_seen_subcommand_from ${deeper.join(' ')}` : '';
    for (const c of s.subcommands) {
      lines.push(
        `complete -c som -n ${q(`${here}${s.path.length > 0 ? notDeeper : ''}`)} -a ${q(c.name)} -d ${q(c.description)}`,
      );
    }
    for (const o of s.options) lines.push(fishOption(s.path.length === 0 ? '__fish_use_subcommand' : here, o));
    const arg = s.args[0] ? fishValues(s.args[0]) : null;
    if (arg) lines.push(`complete -c som -n ${q(here)} -a ${q(arg)}`);
  }
  return `${lines.join('\n')}\n`;
}

function fishOption(condition: string, o: OptionSpec): string {
  const names = o.names.map((n) => (n.startsWith('--') ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`)).join(' ');
  const values = o.takesValue ? fishValues(o.values) : null;
  return `complete -c som -n ${q(condition)} ${names}${o.takesValue ? ' -r' : ''}${values ? ` -a ${q(values)}` : ''} -d ${q(o.description)}`;
}

function fishValues(source: ValueSource): string | null {
  if (source === null) return null;
  return 'choices' in source ? source.choices.join(' ') : `(__som_values ${source.dynamic})`;
}
