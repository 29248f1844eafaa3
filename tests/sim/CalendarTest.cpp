#include <gtest/gtest.h>

#include "sim/Calendar.hpp"

using namespace innosim::sim;
using namespace std::chrono;

TEST(Calendar, RoundTripsDatesAndFractions) {
  const Calendar cal(year(2016) / January / 1);
  const Date start = *Calendar::parse("2016-04-01");
  EXPECT_EQ(cal.to_time(start), 91.0);  // 2016 is a leap year
  EXPECT_EQ(cal.to_date(91.75), start);
  EXPECT_EQ(Calendar::format(cal.to_date(cal.to_time(*Calendar::parse("2020-12-31")))), "2020-12-31");
  EXPECT_EQ(cal.to_time(*Calendar::parse("2015-12-31")), -1.0);
  EXPECT_EQ(cal.to_date(-0.5), *Calendar::parse("2015-12-31"));
}

TEST(Calendar, RejectsMalformedDates) {
  EXPECT_FALSE(Calendar::parse("2016-02-30"));
  EXPECT_FALSE(Calendar::parse("2016-4-01"));
  EXPECT_FALSE(Calendar::parse("20160401"));
  EXPECT_FALSE(Calendar::parse("2016-04-0x"));
  EXPECT_TRUE(Calendar::parse("2016-02-29"));
}
