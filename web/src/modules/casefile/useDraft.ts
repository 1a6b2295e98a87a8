import { useCallback, useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { caseFileSave, type CaseFile } from '@modules/casefile/schemas.ts';
import { validateWith } from '../../core/validation.ts';
import { useT } from '../../i18n/useT.ts';
import { caseFileKey, conflictOf, fetchCaseFile, saveDraft } from './api.ts';
import { draftOf, sameDraft, type Draft } from './draft.ts';

/** Quiet time after the last keystroke before a draft is saved. */
const debounceMs = 1200;
/** Wait before trying again after a network failure. */
const retryMs = 8000;

export type SaveState =
  | { kind: 'saved'; version: number }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'invalid'; errors: Record<string, string> }
  | { kind: 'conflict'; currentVersion: number | null }
  | { kind: 'locked' }
  /** The exercise is paused: the edits not saved yet are kept and saved when it resumes. */
  | { kind: 'paused' }
  | { kind: 'error'; error: unknown };

/**
 * The team's findings being edited, saved as the team works: each pause in
 * typing saves a new version based on the version last seen. Findings saved by a
 * team-mate in between are a conflict (409): nothing is overwritten, the team is
 * told and reloads; a version that only added entities or events is not, the
 * save goes on top of it. Changes made while a save is under way are saved after it.
 * A save refused because the exercise is paused keeps the edits and is made again
 * once the case file is open again (the exercise resumed).
 */
export function useDraft(exerciseId: string, file: CaseFile | undefined, accepting: boolean) {
  const t = useT();
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [state, setState] = useState<SaveState>({ kind: 'saved', version: 0 });
  const draftRef = useRef<Draft | null>(null);
  const baseVersion = useRef(0);
  /** The findings document as saved in baseVersion: what the local draft started from. */
  const baseDraft = useRef<Draft | null>(null);
  const dirty = useRef(false);
  const saving = useRef(false);
  const stopped = useRef(false);
  /** A save was refused by a pause: it is made again when the case file opens. */
  const paused = useRef(false);
  const timer = useRef<number | undefined>(undefined);
  const tRef = useRef(t);
  tRef.current = t;

  // Adopt what the server has (first load, a team-mate's save, a reload) unless there are unsaved edits.
  // With unsaved edits, a new version whose findings are unchanged (an entity or
  // an event was added) becomes the base of the next save instead of a conflict.
  useEffect(() => {
    if (!file || saving.current) return;
    const incoming = draftOf(file);
    if (dirty.current) {
      if (baseDraft.current && sameDraft(incoming, baseDraft.current)) baseVersion.current = file.version;
      return;
    }
    baseVersion.current = file.version;
    baseDraft.current = incoming;
    if (!draftRef.current || !sameDraft(draftRef.current, incoming)) {
      draftRef.current = incoming;
      setDraft(incoming);
    }
    if (!stopped.current) setState({ kind: 'saved', version: file.version });
  }, [file]);

  /** After a 409: true when the newer version changed no findings (only entities or events), so the save can go on top of it. */
  const rebased = useCallback(async (): Promise<boolean> => {
    try {
      const current = await fetchCaseFile(exerciseId, null);
      if (!baseDraft.current || !sameDraft(draftOf(current), baseDraft.current) || current.version === baseVersion.current) return false;
      baseVersion.current = current.version;
      return true;
    } catch {
      return false;
    }
  }, [exerciseId]);

  const save = useCallback(async (): Promise<void> => {
    window.clearTimeout(timer.current);
    const snapshot = draftRef.current;
    if (!snapshot || saving.current || stopped.current || !dirty.current) return;
    const body = { baseVersion: baseVersion.current, charges: snapshot };
    const errors = validateWith(caseFileSave, body, tRef.current);
    if (Object.keys(errors).length > 0) {
      setState({ kind: 'invalid', errors });
      return;
    }
    saving.current = true;
    setState({ kind: 'saving' });
    try {
      const saved = await saveDraft(exerciseId, body);
      baseVersion.current = saved.version;
      baseDraft.current = snapshot;
      if (draftRef.current === snapshot) dirty.current = false;
      client.setQueryData(caseFileKey(exerciseId, null), saved);
      setState(dirty.current ? { kind: 'pending' } : { kind: 'saved', version: saved.version });
      saving.current = false;
      if (dirty.current) timer.current = window.setTimeout(() => void save(), debounceMs);
    } catch (error) {
      const conflict = conflictOf(error);
      if (conflict?.reason === 'version' && (await rebased())) {
        saving.current = false;
        return save();
      }
      saving.current = false;
      if (conflict?.reason === 'version') {
        stopped.current = true;
        setState({ kind: 'conflict', currentVersion: conflict.currentVersion });
      } else if (conflict?.reason === 'paused') {
        paused.current = true;
        setState({ kind: 'paused' });
        void client.invalidateQueries({ queryKey: caseFileKey(exerciseId, null) });
      } else if (conflict?.reason === 'locked') {
        stopped.current = true;
        setState({ kind: 'locked' });
        void client.invalidateQueries({ queryKey: caseFileKey(exerciseId, null) });
      } else {
        setState({ kind: 'error', error });
        timer.current = window.setTimeout(() => void save(), retryMs);
      }
    }
  }, [client, exerciseId, rebased]);

  // The exercise resumed (the play view says it runs, the case file is no longer paused): the edits a pause refused are saved now.
  const open = accepting && file?.locked !== 'paused';
  useEffect(() => {
    if (!open || !paused.current) return;
    paused.current = false;
    if (!dirty.current) return;
    setState({ kind: 'pending' });
    void save();
  }, [open, save]);

  const edit = useCallback(
    (change: (d: Draft) => Draft) => {
      if (!draftRef.current || stopped.current) return;
      const next = change(draftRef.current);
      draftRef.current = next;
      setDraft(next);
      dirty.current = true;
      if (!saving.current) setState({ kind: 'pending' });
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => void save(), debounceMs);
    },
    [save],
  );

  /** After a conflict: drop the unsaved edits and take the current version. */
  const reload = useCallback(async () => {
    window.clearTimeout(timer.current);
    dirty.current = false;
    stopped.current = false;
    const current = await client.fetchQuery({ queryKey: caseFileKey(exerciseId, null), queryFn: ({ signal }) => fetchCaseFile(exerciseId, null, signal), staleTime: 0 });
    baseVersion.current = current.version;
    baseDraft.current = draftOf(current);
    draftRef.current = baseDraft.current;
    setDraft(draftRef.current);
    setState({ kind: 'saved', version: current.version });
  }, [client, exerciseId]);

  // Leaving the tab saves what is pending; leaving the page with unsaved edits asks first.
  useEffect(() => {
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (dirty.current && !stopped.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      if (dirty.current) void save();
    };
  }, [save]);

  return { draft, state, edit, reload, saveNow: save, hasUnsaved: () => dirty.current };
}
