// Applies the reader's theme before the page paints, so a chosen theme never flashes the other one.
try { const t = JSON.parse(localStorage.getItem('ol:theme')); if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t; } catch { /* the system's theme */ }
