// One client for the API, shared by the shop and the console.
export * from '@fanli/web-common/api.ts';
