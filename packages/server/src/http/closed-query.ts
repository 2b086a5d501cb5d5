/** The subset of JSON schema a route's query string is written in. */
interface QuerySchema {
  type?: unknown;
  properties?: Record<string, unknown>;
  required?: string[];
  allOf?: unknown[];
  additionalProperties?: unknown;
}

export interface ClosedQuerySchema {
  type: 'object';
  properties: Record<string, unknown>;
  required?: string[];
  additionalProperties: false;
}

/**
 * A route's query-string schema, closed: one object whose `additionalProperties` is false,
 * so a parameter the route does not declare is refused with 400 instead of reaching the
 * handler, where it could stand in for the caller's own id. An intersection (`Page` plus
 * filters) is flattened into one object first, because `additionalProperties: false` on
 * each part of an `allOf` would refuse the other parts' parameters. A route without a
 * query schema takes no parameters at all. Throws at start-up for a shape it cannot close.
 *
 * @example
 * closedQuerystring(undefined, 'GET /api/v1/cart')
 * // → { type: 'object', properties: {}, additionalProperties: false }
 */
export function closedQuerystring(schema: unknown, route: string): ClosedQuerySchema {
  const properties: Record<string, unknown> = {};
  const required = new Set<string>();
  if (schema !== undefined) collect(schema, route, properties, required);
  return {
    type: 'object',
    properties,
    ...(required.size ? { required: [...required] } : {}),
    additionalProperties: false,
  };
}

function collect(
  schema: unknown,
  route: string,
  properties: Record<string, unknown>,
  required: Set<string>,
): void {
  const s = schema as QuerySchema;
  if (Array.isArray(s.allOf)) {
    for (const part of s.allOf) collect(part, route, properties, required);
    return;
  }
  const open = s.additionalProperties !== undefined && s.additionalProperties !== false;
  if (s.type !== 'object' || open) {
    throw new Error(
      `${route}: a query string must be an object (or an intersection of objects) of named parameters`,
    );
  }
  for (const [name, value] of Object.entries(s.properties ?? {})) {
    if (name in properties) throw new Error(`${route}: query parameter ${name} is declared twice`);
    properties[name] = value;
  }
  for (const name of s.required ?? []) required.add(name);
}
