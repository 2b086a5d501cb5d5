export * from '@fanli/web-common/sanitize.ts';
