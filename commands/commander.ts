import { createRequire } from 'node:module';
import type * as Commander from 'commander';

/**
 * commander, loaded with `require`: it is CommonJS, and importing it as an ES module makes node
 * scan its source for exports first (the cjs-module-lexer), a cost every command pays at start.
 */
const commander = createRequire(import.meta.url)('commander') as typeof Commander;

export const { Argument, Command, CommanderError, Option } = commander;
export type Argument = Commander.Argument;
export type Command = Commander.Command;
export type Option = Commander.Option;
export type CommanderError = Commander.CommanderError;
