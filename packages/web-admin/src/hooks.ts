export * from '@fanli/web-common/hooks.ts';
