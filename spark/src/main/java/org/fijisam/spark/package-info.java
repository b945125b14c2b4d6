/**
 * Segment Anything on Apache Spark: the only package that uses Spark. The driver
 * ({@link org.fijisam.spark.SamSpark}) lists the images and checks the output folder, Spark
 * runs one task per image, each task calls a {@link org.fijisam.spark.UnitWork} with a
 * resource (the model) made once per executor ({@link org.fijisam.spark.ExecutorResources}),
 * and the driver prints and writes the summary.
 */
package org.fijisam.spark;
