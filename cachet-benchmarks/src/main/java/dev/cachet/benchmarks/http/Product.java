package dev.cachet.benchmarks.http;

import java.util.List;

/** One record of the served documents: a catalogue entry, as an API would list it. */
public record Product(
    long id, String sku, String name, String description, double price, int stock,
    List<String> tags, boolean active) {}
