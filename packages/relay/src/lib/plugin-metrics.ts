import { Counter, Gauge, Histogram, type Registry } from 'prom-client'
import {
  ErrorCode, LumeError,
  type CounterMetric, type GaugeMetric, type HistogramMetric, type MetricInit, type MetricLabels, type PluginMetrics
} from '@lume/types'
import { BoundedLabels } from './bounded-labels.js'

/** Label sets kept per metric; later ones are folded into one `other` series. */
export const MAX_LABEL_SETS = 1000

/** Latency buckets, in seconds, for histograms that name none. */
export const LATENCY_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

const METRIC_NAME = /^[a-z_][a-z0-9_]{0,63}$/

type Labels = Record<string, string | number>

/**
 * The metrics host service of one plugin: every metric it declares goes into
 * the relay's registry as `lume_<plugin>_<name>`, with bounded label sets.
 */
export function pluginMetrics (registry: Registry, plugin: string): PluginMetrics {
  const prefix = `lume_${plugin.replace(/-/g, '_')}_`
  const fullName = (name: string, init: MetricInit<string>): string => {
    if (!METRIC_NAME.test(name)) throw new TypeError(`metric name must match ${METRIC_NAME}, got "${name}"`)
    const full = prefix + name
    if (registry.getSingleMetric(full) !== undefined) throw new LumeError(ErrorCode.ALREADY_REGISTERED, `metric ${full} is already registered`)
    if (init.read !== undefined && (init.labelNames?.length ?? 0) > 0) throw new TypeError(`metric ${full}: read is only for metrics without labels`)
    return full
  }
  return {
    counter<L extends string = never> (name: string, help: string, init: MetricInit<L> = {}): CounterMetric<L> {
      const full = fullName(name, init)
      const labels = new BoundedLabels<L>(init.labelNames ?? [], MAX_LABEL_SETS)
      const read = init.read
      let last = 0
      const counter: Counter = new Counter({
        name: full,
        help,
        labelNames: [...(init.labelNames ?? [])],
        registers: [registry],
        ...(read === undefined
          ? {}
          : {
              // A running total kept elsewhere: add what it grew by since the last scrape.
              async collect () {
                const total = await readSafely(read)
                if (total !== null && total > last) counter.inc(total - last)
                if (total !== null) last = Math.max(last, total)
              }
            })
      })
      return {
        inc: (given?: MetricLabels<L>, value = 1) => {
          if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${full}: a counter only goes up, got ${value}`)
          counter.inc(labels.admit(given) as Labels, value)
        }
      }
    },
    gauge<L extends string = never> (name: string, help: string, init: MetricInit<L> = {}): GaugeMetric<L> {
      const full = fullName(name, init)
      const labels = new BoundedLabels<L>(init.labelNames ?? [], MAX_LABEL_SETS)
      const read = init.read
      const gauge: Gauge = new Gauge({
        name: full,
        help,
        labelNames: [...(init.labelNames ?? [])],
        registers: [registry],
        // A read that fails (a store closing, say) keeps the last value: one plugin cannot break the scrape.
        ...(read === undefined ? {} : { async collect () { const value = await readSafely(read); if (value !== null) gauge.set(value) } })
      })
      return { set: (value: number, given?: MetricLabels<L>) => { gauge.set(labels.admit(given) as Labels, value) } }
    },
    histogram<L extends string = never> (name: string, help: string, init: MetricInit<L> = {}): HistogramMetric<L> {
      const full = fullName(name, init)
      const labels = new BoundedLabels<L>(init.labelNames ?? [], MAX_LABEL_SETS)
      const histogram: Histogram = new Histogram({ name: full, help, labelNames: [...(init.labelNames ?? [])], buckets: [...(init.buckets ?? LATENCY_BUCKETS)], registers: [registry] })
      return { observe: (value: number, given?: MetricLabels<L>) => { histogram.observe(labels.admit(given) as Labels, value) } }
    }
  }
}

/** The value `read` gives, or null when it throws or is not a finite number. */
async function readSafely (read: () => number | Promise<number>): Promise<number | null> {
  try {
    const value = await read()
    return Number.isFinite(value) ? value : null
  } catch {
    return null
  }
}
