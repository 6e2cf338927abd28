/** The {@code mnode} command line (picocli). Entry point {@link dev.mnode.cli.Mnode}. */
@NullMarked
package dev.mnode.cli;

import org.jspecify.annotations.NullMarked;
