/** The size figure's baseline: the same Vite app without identity-vault (what Vite itself adds). */
document.body.dataset['state'] = 'started';
