package io.ugnos.bench.tsbs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostTagsTest {

    private static final List<String> REGIONS = List.of("us-east-1", "us-west-1", "us-west-2",
            "eu-west-1", "eu-central-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1",
            "sa-east-1");

    private final List<Host> hosts = new TsbsDevopsGenerator(2024, 2000, 0, 0, true).hosts();

    @Test
    void everyHostHasTheTenTagsAndItsName() {
        assertThat(hosts).hasSize(2000);
        for (Host h : hosts) {
            assertThat(h.tags().keySet()).containsExactlyInAnyOrderElementsOf(Host.TAG_KEYS);
            assertThat(h.hostname()).isEqualTo("host_" + h.index());
            assertThat(h.tags().get("hostname")).isEqualTo(h.hostname());
        }
        assertThat(hosts.get(1999).index()).isEqualTo(1999);
    }

    @Test
    void regionsAreTheNineAndAllOccur() {
        Set<String> seen = new HashSet<>();
        hosts.forEach(h -> seen.add(h.tags().get("region")));
        assertThat(seen).containsExactlyInAnyOrderElementsOf(REGIONS);
        assertThat(DevopsTags.REGIONS).containsExactlyElementsOf(REGIONS);
    }

    @Test
    void datacenterBelongsToItsRegionAndEachRegionHasTwoToFourZones() {
        Map<String, Set<String>> zones = new HashMap<>();
        for (Host h : hosts) {
            String region = h.tags().get("region");
            String dc = h.tags().get("datacenter");
            assertThat(dc).startsWith(region).hasSize(region.length() + 1);
            assertThat(DevopsTags.DATACENTERS_BY_REGION.get(region)).contains(dc);
            zones.computeIfAbsent(region, r -> new HashSet<>()).add(dc);
        }
        DevopsTags.DATACENTERS_BY_REGION.values().forEach(z -> assertThat(z).hasSizeBetween(2, 4));
        zones.forEach((region, seen) ->
                assertThat(seen).containsExactlyInAnyOrderElementsOf(DevopsTags.DATACENTERS_BY_REGION.get(region)));
        assertThat(zones.get("us-east-1")).contains("us-east-1a");
    }

    @Test
    void numericTagsAreInRangeAndCoverTheirDomain() {
        assertThat(distinct("rack")).allSatisfy(r -> assertThat(Integer.parseInt(r)).isBetween(0, 99)).hasSize(100);
        assertThat(distinct("service")).allSatisfy(s -> assertThat(Integer.parseInt(s)).isBetween(0, 19)).hasSize(20);
        assertThat(distinct("service_version")).containsExactlyInAnyOrder("0", "1");
    }

    @Test
    void categoricalTagsUseTheirDomains() {
        assertThat(distinct("os")).containsExactlyInAnyOrder("Ubuntu16.10", "Ubuntu16.04LTS", "Ubuntu15.10");
        assertThat(distinct("arch")).containsExactlyInAnyOrder("x64", "x86");
        assertThat(distinct("team")).containsExactlyInAnyOrder("SF", "NYC", "LON", "CHI");
        assertThat(distinct("service_environment")).containsExactlyInAnyOrder("production", "staging", "test");
    }

    @Test
    void regionDrawIsRoughlyUniform() {
        Map<String, Integer> counts = new HashMap<>();
        hosts.forEach(h -> counts.merge(h.tags().get("region"), 1, Integer::sum));
        // expected 2000/9 ≈ 222 each; allow a wide band
        counts.values().forEach(c -> assertThat(c).isBetween(160, 290));
    }

    @Test
    void tagsAreUnmodifiable() {
        Host h = hosts.get(0);
        assertThatThrownBy(() -> h.tags().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    private Set<String> distinct(String key) {
        Set<String> s = new HashSet<>();
        hosts.forEach(h -> s.add(h.tags().get(key)));
        return s;
    }
}
