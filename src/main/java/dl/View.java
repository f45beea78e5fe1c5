package dl;


/**
 * How the main thread shows a run. It is called only from the main thread's event loop, after the tally
 * has taken the event in, so a view draws from the event and the tally and keeps no score of its own.
 */
interface View {

    /** One event, just tallied. */
    void show(Event event, Tally tally);

    /** Every download is forked: the moment the most download threads are alive at once. */
    default void allForked(Tally tally) {}

    /** Called at least every 100 ms, with or without events, for views that redraw over time. */
    default void tick(Tally tally) {}

    /** The run is over. */
    void finish(Tally tally, Summary summary);
}
