import { defineConfig } from 'vite'
import { browserViteConfig } from '../../../scripts/vite-browser.ts'

export default defineConfig(browserViteConfig())
