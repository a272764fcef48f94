//! Per-charge rendering on every core. A Fluent bundle is not `Sync`, so
//! each thread formats with a [`Localizer`] of its own; chunks are written
//! in the charges' order as soon as each one and those before it are done.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::l10n::Localizer;

/// Items rendered by one thread at a time.
const CHUNK: usize = 1_024;
/// Below this many items, threads and their localizers cost more than they save.
const PARALLEL_FROM: usize = 4 * CHUNK;

/// Calls `each` with `render(item)` for every item, in order; the rendering
/// runs on every core when there are many items. Stops at `each`'s first error.
pub(crate) fn map_in_order<'a, T, R, E>(
    loc: &Localizer,
    items: &'a [T],
    render: impl Fn(&Localizer, &'a T) -> R + Sync,
    mut each: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E>
where
    T: Sync,
    R: Send,
{
    // A small report (the common case) asks the system nothing.
    let threads = if items.len() < PARALLEL_FROM {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    if threads < 2 {
        return items.iter().try_for_each(|item| each(render(loc, item)));
    }
    let lang = loc.lang();
    let next = AtomicUsize::new(0);
    let chunks = items.chunks(CHUNK).collect::<Vec<_>>();
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<(usize, Vec<R>)>(2 * threads);
        for _ in 0..threads {
            let (sender, next, chunks, render) = (sender.clone(), &next, &chunks, &render);
            scope.spawn(move || {
                let loc = Localizer::new(lang);
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(chunk) = chunks.get(index) else {
                        return;
                    };
                    let rendered = chunk.iter().map(|item| render(&loc, item)).collect();
                    if sender.send((index, rendered)).is_err() {
                        return; // the consumer stopped
                    }
                }
            });
        }
        drop(sender);
        let mut waiting = BTreeMap::new();
        for wanted in 0..chunks.len() {
            let rendered = loop {
                if let Some(rendered) = waiting.remove(&wanted) {
                    break rendered;
                }
                let (index, rendered) = receiver
                    .recv()
                    .expect("every chunk is sent before its thread ends");
                waiting.insert(index, rendered);
            };
            for item in rendered {
                each(item)?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn items_come_back_in_order_whatever_thread_renders_them() {
        let loc = Localizer::new(Lang::Ko);
        for len in [
            0,
            1,
            PARALLEL_FROM - 1,
            PARALLEL_FROM,
            3 * PARALLEL_FROM + 17,
        ] {
            let items: Vec<usize> = (0..len).collect();
            let mut seen = Vec::new();
            map_in_order(
                &loc,
                &items,
                |loc, i| (loc.lang(), i * 2),
                |r| {
                    seen.push(r);
                    Ok::<_, ()>(())
                },
            )
            .unwrap();
            assert_eq!(
                seen,
                (0..len).map(|i| (Lang::Ko, i * 2)).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn the_first_error_stops_the_run() {
        let loc = Localizer::new(Lang::En);
        let items: Vec<usize> = (0..10 * PARALLEL_FROM).collect();
        let mut seen = 0;
        let result = map_in_order(
            &loc,
            &items,
            |_, i| *i,
            |i| {
                seen += 1;
                if i == PARALLEL_FROM + 5 {
                    Err(i)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err(PARALLEL_FROM + 5));
        assert_eq!(seen, PARALLEL_FROM + 6);
    }
}
