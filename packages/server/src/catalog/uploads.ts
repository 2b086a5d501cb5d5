import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App, AppDeps } from '../http/deps.ts';
import { currentUser, STAFF } from '../http/access.ts';
import { AppError } from '../errors/index.ts';
import { inTx } from '../db/tx.ts';
import type { Tx } from '../db/tx.ts';
import { audit, type Actor } from '../audit/audit.ts';
import {
  DECLARABLE,
  EXTENSION,
  TYPE_OF_EXTENSION,
  firstMultipartFile,
  sniffImageType,
  type ImageType,
} from './images.ts';

/** Largest image accepted (bytes of the file itself). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Room for multipart headers and boundaries around a file of the largest size. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

const FILE_NAME = '^[0-9a-f]{64}\\.(png|jpg|webp|gif)$';

export const uploadsDir = (dataDir: string) => join(dataDir, 'uploads');

export interface StoredImage {
  url: string;
  sha256: string;
  contentType: ImageType;
  sizeBytes: number;
}

/**
 * Writes the image under its SHA-256 (the same bytes → the same file, written once),
 * atomically: a temporary file renamed into place, so a reader never sees half a file.
 */
async function storeFile(dir: string, name: string, data: Buffer): Promise<void> {
  await mkdir(dir, { recursive: true });
  const target = join(dir, name);
  try {
    await stat(target);
    return; // already stored: content-addressed, so it is these very bytes
  } catch {
    // not there yet
  }
  const tmp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  await writeFile(tmp, data, { flag: 'wx' });
  try {
    await rename(tmp, target);
  } catch (e) {
    await unlink(tmp).catch(() => {});
    throw e;
  }
}

/** Records the upload (once per content) and audits it; the file is already in place. */
async function recordUpload(
  tx: Tx,
  actor: Actor,
  image: StoredImage,
  fileName: string,
  now: Date,
): Promise<{ created: boolean }> {
  const inserted = await tx
    .insertInto('uploads')
    .values({
      sha256: image.sha256,
      file_name: fileName,
      content_type: image.contentType,
      size_bytes: image.sizeBytes,
      created_by: actor.id,
      created_at: now,
    })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .returning('sha256')
    .executeTakeFirst();
  await audit(
    tx,
    actor,
    'upload.create',
    { type: 'upload', id: image.sha256 },
    { contentType: image.contentType, sizeBytes: image.sizeBytes, created: Boolean(inserted) },
    now,
  );
  return { created: Boolean(inserted) };
}

/** The image in the request: a raw body with its Content-Type, or the first file of a multipart form. */
function imageBytes(req: FastifyRequest): Buffer {
  const body = req.body;
  if (!Buffer.isBuffer(body) || body.length === 0) throw new AppError('UPLOAD_EMPTY');
  const declared = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  let data = body;
  let claimed = declared;
  if (declared === 'multipart/form-data') {
    const file = firstMultipartFile(body, req.headers['content-type'] ?? '');
    if (!file || file.data.length === 0) throw new AppError('UPLOAD_EMPTY');
    data = file.data;
    claimed = file.contentType ?? 'application/octet-stream';
  }
  if (data.length > MAX_IMAGE_BYTES)
    throw new AppError('PAYLOAD_TOO_LARGE', { maxBytes: MAX_IMAGE_BYTES });
  // a client that says it sends SVG or HTML is refused even before the bytes are read
  if (!DECLARABLE.has(claimed)) throw new AppError('UPLOAD_TYPE_NOT_ALLOWED');
  return data;
}

/**
 * Image uploads for product pictures and descriptions, and the files they become. In
 * their own plugin scope: only here is a request body taken as raw bytes.
 */
export async function uploadRoutes(app: App, deps: AppDeps): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.post(
    '/api/v1/admin/uploads',
    {
      bodyLimit: MAX_IMAGE_BYTES + MULTIPART_OVERHEAD_BYTES,
      config: { access: STAFF },
      schema: {
        tags: ['catalog-admin'],
        summary: `Upload an image (PNG, JPEG, WebP or GIF, at most ${MAX_IMAGE_BYTES / 1024 / 1024} MiB): the raw bytes with their Content-Type, or multipart/form-data with one file`,
        consumes: ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'multipart/form-data'],
      },
    },
    async (req, reply) => {
      const u = currentUser(req);
      const actor: Actor = { id: u.id, role: u.role, ip: req.ip };
      const data = imageBytes(req);
      const contentType = sniffImageType(data);
      if (!contentType) throw new AppError('UPLOAD_TYPE_NOT_ALLOWED');
      const sha256 = createHash('sha256').update(data).digest('hex');
      const fileName = `${sha256}.${EXTENSION[contentType]}`;
      await storeFile(uploadsDir(deps.config.dataDir), fileName, data);
      const image: StoredImage = {
        url: `/uploads/${fileName}`,
        sha256,
        contentType,
        sizeBytes: data.length,
      };
      const now = deps.clock.now();
      const { created } = await inTx(deps.db, (tx) =>
        recordUpload(tx, actor, image, fileName, now),
      );
      return reply.status(created ? 201 : 200).send(image);
    },
  );

  app.get(
    '/uploads/:name',
    {
      config: { access: 'public' },
      schema: { hide: true, params: Type.Object({ name: Type.String({ pattern: FILE_NAME }) }) },
    },
    async (req, reply) => {
      const { name } = req.params;
      const type = TYPE_OF_EXTENSION[name.slice(name.lastIndexOf('.') + 1)];
      if (!type) throw new AppError('NOT_FOUND');
      let data: Buffer;
      try {
        data = await readFile(join(uploadsDir(deps.config.dataDir), name));
      } catch {
        throw new AppError('NOT_FOUND');
      }
      const etag = `"${name.slice(0, 64)}"`;
      reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .header('etag', etag)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('content-disposition', 'inline');
      if (req.headers['if-none-match'] === etag) return reply.status(304).send();
      reply.header('content-type', type);
      return reply.send(data);
    },
  );
}
