// A popstate listener registered before React Router's. Listeners on window run in the order
// they were added, and the router's Back/Forward handler updates the page at once, so a page
// that wants to hold Back (useUnsavedGuard) must be asked first. Imported by App.tsx so it is
// in place before the router mounts.

type PopGuard = (e: PopStateEvent) => boolean

let guard: PopGuard | null = null

window.addEventListener('popstate', (e) => {
  // true: the guard handled it; the router must not see this move.
  if (guard?.(e)) e.stopImmediatePropagation()
})

/** Installs the guard; returns a function that removes it. */
export function setPopGuard(fn: PopGuard): () => void {
  guard = fn
  return () => {
    if (guard === fn) guard = null
  }
}
