export * from './common';
export * from './token';
export * from './client';
export * from './scope';
export * from './batch';
export * from './error';
export * from './audit';
export * from './session';
