import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkMachine, dryRunMachine, issueJobMachine } from './issue-states';
import { canTransition, sourcesOf, terminalStates, type StateMachine } from './state-machine';

/** Every move the tables allow, written out: a change to a table must change this list too. */
const allowed: Record<string, [string, string][]> = {
  'issue job': [
    ['draft', 'submitting'],
    ['draft', 'processing'],
    ['draft', 'attention'],
    ['draft', 'completed'],
    ['submitting', 'processing'],
    ['submitting', 'attention'],
    ['submitting', 'completed'],
    ['processing', 'submitting'],
    ['processing', 'attention'],
    ['processing', 'completed'],
    ['attention', 'submitting'],
    ['attention', 'processing'],
    ['attention', 'completed'],
  ],
  chunk: [
    ['pending', 'submitting'],
    ['pending', 'narrowed'],
    ['submitting', 'running'],
    ['submitting', 'failed'],
    ['submitting', 'unknown'],
    ['running', 'succeeded'],
    ['running', 'failed'],
    ['running', 'unknown'],
    ['failed', 'narrowing'],
    ['unknown', 'narrowing'],
    ['narrowing', 'narrowed'],
    ['narrowing', 'failed'],
    ['narrowing', 'unknown'],
  ],
  'dry run': [
    ['none', 'running'],
    ['running', 'succeeded'],
    ['running', 'failed'],
    ['succeeded', 'running'],
    ['failed', 'running'],
  ],
};

const machines: StateMachine<string>[] = [issueJobMachine, chunkMachine, dryRunMachine];

describe('the issue job state machines', () => {
  for (const machine of machines) {
    it(`${machine.name}: allows exactly the listed moves, and every other pair is refused`, () => {
      const expected = new Set(allowed[machine.name]!.map(([from, to]) => `${from}→${to}`));
      for (const from of machine.states)
        for (const to of machine.states)
          expect(canTransition(machine, from, to), `${from}→${to}`).toBe(expected.has(`${from}→${to}`));
    });
  }

  it('refuses the moves that would lose or repeat work', () => {
    // A sent chunk is never pending again (it would be sent twice); a finished one never moves.
    expect(canTransition(chunkMachine, 'running', 'pending')).toBe(false);
    expect(canTransition(chunkMachine, 'submitting', 'pending')).toBe(false);
    expect(canTransition(chunkMachine, 'succeeded', 'running')).toBe(false);
    expect(canTransition(chunkMachine, 'narrowed', 'pending')).toBe(false);
    // Only a failed or unknown chunk is narrowed.
    expect(canTransition(chunkMachine, 'running', 'narrowing')).toBe(false);
    expect(canTransition(chunkMachine, 'pending', 'narrowing')).toBe(false);
    // A job never goes back to being a draft, and a completed one stays completed.
    expect(sourcesOf(issueJobMachine, 'draft')).toEqual([]);
    expect(terminalStates(issueJobMachine)).toEqual(['completed']);
    expect(terminalStates(chunkMachine)).toEqual(['succeeded', 'narrowed']);
    expect(terminalStates(dryRunMachine)).toEqual([]);
  });

  it('reaches every state from the first, and a terminal state from every state (no orphan, no trap)', () => {
    const reachable = <S extends string>(machine: StateMachine<S>, from: S) => {
      const seen = new Set<S>([from]);
      for (const state of seen) for (const to of machine.transitions[state]) seen.add(to);
      return seen;
    };
    for (const machine of [issueJobMachine, chunkMachine] as StateMachine<string>[]) {
      expect([...reachable(machine, machine.states[0])].sort()).toEqual([...machine.states].sort());
      const terminal = terminalStates(machine);
      for (const state of machine.states)
        expect(
          [...reachable(machine, state)].some((s) => terminal.includes(s)),
          state,
        ).toBe(true);
    }
  });

  it('from any state, anything but the listed moves is refused (random pairs)', () => {
    for (const machine of machines) {
      const listed = new Set(allowed[machine.name]!.map(([from, to]) => `${from}→${to}`));
      fc.assert(
        fc.property(fc.constantFrom(...machine.states), fc.constantFrom(...machine.states), (from, to) => {
          expect(canTransition(machine, from, to)).toBe(listed.has(`${from}→${to}`));
        }),
      );
    }
  });
});
