import { useQuery } from '@tanstack/react-query';
import type { ScenarioDetail, ScenarioSummary, ValidationReport } from '@modules/scenarios/schemas.ts';
import { api, ApiError, parseErrorBody, seg } from '../../core/api.ts';

export type { ScenarioDetail, ScenarioSummary, ValidationReport };

/** Every scenario query starts with this key. */
export const scenariosKey = ['scenarios'] as const;
export const scenarioKey = (id: string) => [...scenariosKey, 'one', id] as const;

export const useScenarios = (enabled = true) =>
  useQuery({ queryKey: scenariosKey, queryFn: ({ signal }) => api.get<ScenarioSummary[]>('/api/scenarios', { signal }), enabled });

export const useScenario = (id: string | null | undefined) =>
  useQuery({
    queryKey: scenarioKey(id ?? ''),
    queryFn: ({ signal }) => api.get<ScenarioDetail>(`/api/scenarios/${seg(id ?? '')}`, { signal }),
    enabled: Boolean(id),
    // Imported versions never change.
    staleTime: Infinity,
  });

export const exportUrl = (id: string) => `/api/scenarios/${seg(id)}/export`;

export type UploadProgress = { loaded: number; total: number };

type UploadOptions = {
  csrfToken: string | null;
  locale: string;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
};

/**
 * Sends a package as multipart/form-data (field "file") with XMLHttpRequest,
 * which, unlike fetch, reports the upload's progress. Errors are ApiErrors,
 * like those of the api client.
 */
export function uploadPackage<T>(path: string, file: File, options: UploadOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', options.locale);
    if (options.csrfToken) xhr.setRequestHeader('x-csrf-token', options.csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) options.onProgress?.({ loaded: e.loaded, total: e.total });
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(parseErrorBody(xhr.status, body, { get: (name) => xhr.getResponseHeader(name) }));
    };
    xhr.onerror = () => reject(new ApiError('network', 'Network error', { status: 0 }));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** A `validation_failed` answer about the package (not a zip, too many files…), read as a report. */
export function reportFromError(error: unknown): ValidationReport | null {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return null;
  const problems = error.fieldProblems.map((p) => ({ path: p.path, message: p.message }));
  return { ok: false, problems: problems.length > 0 ? problems : [{ path: 'file', message: error.message }], warnings: [], summary: null };
}

/** Parts of a package a problem may be in: the keys of scenario.yaml, the file itself, the archive, other files. */
export const packageSections = ['format', 'id', 'version', 'title', 'briefing', 'theme', 'durationMinutes', 'difficulty', 'skills', 'variables', 'evidence', 'objectives', 'hints', 'injects', 'scoring', 'trainerGuide', 'yaml', 'package', 'files'] as const;
export type PackageSection = (typeof packageSections)[number];
const yamlKeys: ReadonlySet<string> = new Set(packageSections.filter((s) => s !== 'yaml' && s !== 'package' && s !== 'files'));

/** `objectives[2].answer.value` → `objectives`; `scenario.yaml line 3` → `yaml`; `evidence/extra.txt` → `files`. */
export function problemSection(path: string): PackageSection {
  if (/^scenario\.ya?ml\b/.test(path)) return 'yaml';
  if (path === 'package' || path === 'file' || path === '') return 'package';
  const key = /^([A-Za-z]+)(?=$|[.[\s])/.exec(path)?.[1];
  if (key && yamlKeys.has(key)) return key as PackageSection;
  return 'files';
}

/** Problems grouped by the part of the package they are in, in the order of the package. */
export function groupProblems<P extends { path: string }>(problems: readonly P[]): Array<{ section: PackageSection; problems: P[] }> {
  const groups = new Map<PackageSection, P[]>();
  for (const p of problems) {
    const key = problemSection(p.path);
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(p);
  }
  return packageSections.flatMap((section) => {
    const list = groups.get(section);
    return list ? [{ section, problems: list }] : [];
  });
}
