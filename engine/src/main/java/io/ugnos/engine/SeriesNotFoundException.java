package io.ugnos.engine;

/** A request named a series that does not exist in the database. */
public final class SeriesNotFoundException extends UgnosException {
    private final String series;

    public SeriesNotFoundException(String series) {
        super("series '" + series + "' does not exist; write a point to it or create it first");
        this.series = series;
    }

    public String series() {
        return series;
    }
}
