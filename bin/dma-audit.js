#!/usr/bin/env node
// Runs the compiled CLI (npm install builds it through the prepare script).
import { main } from '../dist/src/cli/main.js';

// `dma-audit checks | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
