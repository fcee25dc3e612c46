/** Attributes and properties for {@link el}: strings become attributes, functions event listeners. */
export type Props = Record<string, string | boolean | ((event: Event) => void) | undefined>

/**
 * An element with attributes and children. Text children become text nodes:
 * nothing from the network is ever parsed as HTML.
 */
export function el<K extends keyof HTMLElementTagNameMap> (tag: K, props: Props = {}, ...children: Array<Node | string | null>): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue
    if (typeof value === 'function') node.addEventListener(name.replace(/^on/, ''), value)
    else node.setAttribute(name, value === true ? '' : value)
  }
  for (const child of children) if (child !== null) node.append(child)
  return node
}
