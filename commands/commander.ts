/**
 * commander, the one way commands reach it. bin/som runs the bundle of commands/ (dist/cli,
 * scripts/bundle-cli.mjs), which carries commander inside it.
 */
export { Argument, Command, CommanderError, Option } from 'commander';
