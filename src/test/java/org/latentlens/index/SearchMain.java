package org.latentlens.index;

import java.util.List;
import java.util.Random;

/**
 * Prints whether the Vector API is in use and the hits of a fixed random search, for
 * {@code SearchTest.worksWithoutTheVectorModule}, which runs it in a JVM without {@code --add-modules}.
 */
public final class SearchMain {
    private SearchMain() {
    }

    /**
     * @param args none
     */
    public static void main(String[] args) {
        System.out.println("vector=" + ExactSearcher.VECTOR);
        System.out.println(hits());
    }

    static List<List<SearchHit>> hits() {
        Random rnd = new Random(99);
        ContextualIndex index = SearchTest.randomIndex(rnd, 600, new int[] {1, 5}, new int[] {130, 77}, 4);
        float[] q = SearchTest.randomQueries(rnd, 11, 600);
        return index.searchHits(q, 11, 6);
    }
}
