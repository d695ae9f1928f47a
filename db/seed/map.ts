// Where the reports' places are, for the public map (WGS 84 degrees). Cities: the city
// centre. A place that stands for a whole country (the reports say only "to Oman",
// "through Armenia"): the country's centroid computed from the Natural Earth 1:50m
// boundaries the map is drawn from (d3-geo geoCentroid, rounded to 0.01°), so the map
// draws no city the reports do not name.
export const seedCoordinates: Record<string, { latitude: number; longitude: number }> = {
  dubai: { latitude: 25.2, longitude: 55.27 },
  riyadh: { latitude: 24.71, longitude: 46.68 },
  jeddah: { latitude: 21.49, longitude: 39.19 },
  almaty: { latitude: 43.24, longitude: 76.89 },
  astana: { latitude: 51.17, longitude: 71.45 },
  oman: { latitude: 20.59, longitude: 56.06 },
  qatar: { latitude: 25.3, longitude: 51.18 },
  iran: { latitude: 32.53, longitude: 54.44 },
  armenia: { latitude: 40.29, longitude: 44.94 },
  azerbaijan: { latitude: 40.29, longitude: 47.55 },
  turkmenistan: { latitude: 39.13, longitude: 59.45 },
  kazakhstan: { latitude: 48.36, longitude: 67.25 },
};
