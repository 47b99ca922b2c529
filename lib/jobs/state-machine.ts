/**
 * A state machine as data: its states, and for each the states it may move to. A state with no
 * way out is terminal. Shared by the server (which applies transitions, server/jobs/core/store.ts)
 * and the browser (which only reads states).
 */
export type Transitions<S extends string> = { readonly [From in S]: readonly S[] };

export interface StateMachine<S extends string> {
  readonly name: string;
  readonly states: readonly [S, ...S[]];
  readonly transitions: Transitions<S>;
}

export function defineStateMachine<S extends string>(
  name: string,
  states: readonly [S, ...S[]],
  transitions: Transitions<S>,
): StateMachine<S> {
  return { name, states, transitions };
}

export function canTransition<S extends string>(machine: StateMachine<S>, from: S, to: S): boolean {
  return machine.transitions[from].includes(to);
}

/** The states from which `to` may be reached. */
export function sourcesOf<S extends string>(machine: StateMachine<S>, to: S): S[] {
  return machine.states.filter((from) => machine.transitions[from].includes(to));
}

export function terminalStates<S extends string>(machine: StateMachine<S>): S[] {
  return machine.states.filter((state) => machine.transitions[state].length === 0);
}
