// Applies the theme and text size kept by src/renderer/src/lib/appearance.ts
// before the first paint, so a dark choice never flashes light. A classic
// script in <head> (the CSP allows no inline script; a module would run after
// the first paint).
;(function () {
  try {
    var saved = JSON.parse(localStorage.getItem('messenger.appearance') || 'null')
    if (!saved) return
    var root = document.documentElement
    if (['system', 'light', 'dark'].indexOf(saved.theme) >= 0) root.dataset.theme = saved.theme
    if (['small', 'normal', 'large', 'larger'].indexOf(saved.textSize) >= 0) root.dataset.textSize = saved.textSize
  } catch {
    // Storage turned off or a damaged copy: the defaults until the app loads.
  }
})()
