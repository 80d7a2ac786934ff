export * from './types';
export * from './routes';
export * from './paths';
export * from './gather';
export * from './service-names';
export * from './security-groups';
export * from './nacls';
