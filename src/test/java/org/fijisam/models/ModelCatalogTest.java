package org.fijisam.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.fijisam.core.SamException;
import org.junit.jupiter.api.Test;

/** The built-in catalog: every entry complete, every fact with its source, no invented hashes. */
class ModelCatalogTest {

	@Test
	void builtInCatalogListsTheOfficialCheckpoints() throws Exception {
		ModelCatalog c = ModelCatalog.builtIn();
		List<String> names = c.entries().stream().map(e -> e.name).collect(Collectors.toList());
		assertEquals(List.of("sam_vit_b", "sam_vit_l", "sam_vit_h", "mobile_sam", "micro_sam_vit_t_lm",
			"micro_sam_vit_b_lm", "micro_sam_vit_l_lm", "micro_sam_vit_t_em_organelles", "micro_sam_vit_b_em_organelles",
			"micro_sam_vit_l_em_organelles", "sam2.1_hiera_tiny", "sam2.1_hiera_small", "sam2.1_hiera_base_plus",
			"sam2.1_hiera_large"), names);
		Set<String> families = new HashSet<>();
		for (CatalogEntry e : c.entries()) {
			families.add(e.family);
			assertTrue(ModelInstaller.FAMILIES.contains(e.family), e.name);
			assertNotNull(e.licence, e.name);
			assertNotNull(e.size, e.name);
			for (CatalogFile f : e.files()) {
				assertTrue(f.url.startsWith("https://"), f.url);
				// Each source names a repository, a path and a commit.
				assertTrue(f.urlSource.matches(".*/.* @ [0-9a-f]{40}.*"), f.urlSource);
				assertNotNull(f.hashSource, f.file);
			}
		}
		assertEquals(Set.of("sam1", "mobile_sam", "sam2"), families);
	}

	@Test
	void hashesAreThePublishedOnesOrNone() throws Exception {
		ModelCatalog c = ModelCatalog.builtIn();
		assertEquals("xxh128:6923c33df3637b6a922d7682bfc9a86b", c.get("sam_vit_b").checkpoint().hash.toString());
		assertEquals(375042383L, c.get("sam_vit_b").checkpoint().bytes);
		assertEquals("gitblob:7ef2d090979fd9853adf17b7a99c8b94a1c5a6a7", c.get("mobile_sam").checkpoint().hash
			.toString());
		assertEquals(2, c.get("micro_sam_vit_b_lm").files().size(), "checkpoint and instance decoder");
		for (String n : new String[] { "sam2.1_hiera_tiny", "sam2.1_hiera_large" }) {
			CatalogFile f = c.get(n).checkpoint();
			assertEquals(null, f.hash, "Meta publishes no hash for " + n);
			assertTrue(f.hashSource.contains("no published hash"), f.hashSource);
		}
	}

	@Test
	void unknownNameListsTheKnownOnes() throws Exception {
		SamException e = assertThrows(SamException.class, () -> ModelCatalog.builtIn().get("sam_vit_x"));
		assertTrue(e.getMessage().contains("sam_vit_b, sam_vit_l"), e.getMessage());
	}

	@Test
	void hashTextIsChecked() {
		assertThrows(IllegalArgumentException.class, () -> FileHash.parse("md5:0123"));
		assertThrows(IllegalArgumentException.class, () -> FileHash.parse("xxh128:0123"));
		assertEquals("sha256:" + "ab".repeat(32), FileHash.parse("SHA256:" + "AB".repeat(32)).toString());
	}
}
