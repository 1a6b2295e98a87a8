// The text a team may add from the workbench: what is selected inside the
// exhibit viewer, never a selection elsewhere on the page (the menu, a briefing,
// the exhibit picker).

/** The parts of a DOM Selection and of an element read here (fakes in the unit tests). */
export type SelectionLike<N> = { rangeCount: number; isCollapsed: boolean; getRangeAt: (index: number) => { commonAncestorContainer: N }; toString: () => string };
export type ContainerLike<N> = { contains: (node: N | null) => boolean };

/** The selected text, trimmed, when every range of the selection lies inside `container`; "" otherwise. */
export function selectedTextWithin<N>(selection: SelectionLike<N> | null, container: ContainerLike<N> | null): string {
  if (!selection || !container || selection.rangeCount === 0 || selection.isCollapsed) return '';
  for (let i = 0; i < selection.rangeCount; i++) {
    if (!container.contains(selection.getRangeAt(i).commonAncestorContainer)) return '';
  }
  return selection.toString().trim();
}
